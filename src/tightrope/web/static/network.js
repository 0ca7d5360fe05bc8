// The network page: countries placed by the server's force layout, a line per pair (both directions),
// width by events and colour by net cooperation. Hover shows the counts; a click on a country opens its
// pairs, a click on a line's middle opens the pair page. plotly.min.js is served locally.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("network");
  var block = document.getElementById("network-data");
  if (!holder || !block || typeof Plotly === "undefined") { return; }
  var d = JSON.parse(block.textContent);
  if (!d.nodes.length) { holder.textContent = "No pairs with these filters."; return; }
  var maxN = Math.max.apply(null, d.edges.map(function (e) { return e.n; }).concat([1]));
  var groups = {};
  d.edges.forEach(function (e) {
    var colour = e.net > 0 ? "#1f77b4" : (e.net < 0 ? "#c0392b" : "#999999");
    var width = 1 + Math.round(5 * e.n / maxN);
    var key = colour + width;
    if (!groups[key]) { groups[key] = {type: "scatter", mode: "lines", x: [], y: [], hoverinfo: "skip", showlegend: false,
                                       line: {color: colour, width: width}, opacity: 0.6}; }
    groups[key].x.push(e.x0, e.x1, null);
    groups[key].y.push(e.y0, e.y1, null);
  });
  var traces = Object.keys(groups).sort().map(function (k) { return groups[k]; });
  traces.push({type: "scatter", mode: "markers", name: "pairs", showlegend: false,
               x: d.edges.map(function (e) { return (e.x0 + e.x1) / 2; }), y: d.edges.map(function (e) { return (e.y0 + e.y1) / 2; }),
               marker: {size: 9, color: "rgba(0,0,0,0.05)"}, customdata: d.edges.map(function (e) { return e.href; }),
               hovertext: d.edges.map(function (e) { return e.a + " – " + e.b + " (" + e.n + " events)<br>" + e.hover; }), hoverinfo: "text"});
  var maxNode = Math.max.apply(null, d.nodes.map(function (n) { return n.n; }).concat([1]));
  traces.push({type: "scatter", mode: "markers+text", name: "countries", showlegend: false,
               x: d.nodes.map(function (n) { return n.x; }), y: d.nodes.map(function (n) { return n.y; }),
               text: d.nodes.map(function (n) { return n.id; }), textposition: "top center",
               marker: {size: d.nodes.map(function (n) { return 8 + 24 * Math.sqrt(n.n / maxNode); }), color: "#f5f5f5", line: {color: "#333", width: 1}},
               customdata: d.nodes.map(function (n) { return n.href; }),
               hovertext: d.nodes.map(function (n) { return n.name + " (" + n.id + "): " + n.n + " events with " + n.partners + " partners"; }),
               hoverinfo: "text"});
  Plotly.newPlot(holder, traces, {
    height: 620, margin: {t: 10, r: 10, b: 10, l: 10}, hovermode: "closest",
    xaxis: {visible: false, range: [-1.15, 1.15]}, yaxis: {visible: false, range: [-1.15, 1.15], scaleanchor: "x"}
  }, {displaylogo: false, responsive: true});
  holder.on("plotly_click", function (ev) {
    var p = ev.points && ev.points[0];
    if (p && p.customdata) { window.location.href = p.customdata; }
  });
  holder.setAttribute("data-rendered", "1");
});
