// The pair page's chart: three panels on one time axis, each with its own integer y-axis:
// events of A -> B by quad class (stacked), events of B -> A by quad class (stacked), and the net
// cooperation of each direction. Data come from the <script type="application/json" id="chart-data">
// block; plotly.min.js is served locally from the plotly Python package. Clicking a period opens it.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("chart");
  var block = document.getElementById("chart-data");
  if (!holder || !block || typeof Plotly === "undefined") { return; }
  var d = JSON.parse(block.textContent);
  if (!d.x.length) { holder.textContent = "No dated events to chart in these dates."; holder.className += " empty"; return; }
  var names = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict", "4": "material conflict"};
  var colours = {"1": "#8fc1e3", "2": "#1f77b4", "3": "#f4a582", "4": "#b2182b"};
  var per = {"day": "day", "week": "week", "month": "month"}[d.by];
  function step(max) {  // an integer tick step giving at most about 5 ticks
    var raw = Math.max(1, Math.ceil(max / 5));
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = [1, 2, 5, 10].find(function (k) { return k * p >= raw; });
    return m * p;
  }
  function total(side) {
    return d.x.map(function (_, i) { return ["1", "2", "3", "4"].reduce(function (s, q) { return s + d[side][q][i]; }, 0); });
  }
  var traces = [];
  ["1", "2", "3", "4"].forEach(function (q) {
    traces.push({type: "bar", x: d.x, y: d.ab[q], name: names[q], legendgroup: q, marker: {color: colours[q]},
                 xaxis: "x", yaxis: "y", hovertemplate: "%{x}: %{y} " + names[q] + "<extra>" + d.a + " → " + d.b + "</extra>"});
    traces.push({type: "bar", x: d.x, y: d.ba[q], name: names[q], legendgroup: q, showlegend: false, marker: {color: colours[q]},
                 xaxis: "x", yaxis: "y2", hovertemplate: "%{x}: %{y} " + names[q] + "<extra>" + d.b + " → " + d.a + "</extra>"});
  });
  traces.push({type: "scatter", mode: "lines+markers", x: d.x, y: d.ab_net, name: d.a + " → " + d.b + " net cooperation",
               line: {color: "#222"}, xaxis: "x", yaxis: "y3"});
  traces.push({type: "scatter", mode: "lines+markers", x: d.x, y: d.ba_net, name: d.b + " → " + d.a + " net cooperation",
               line: {color: "#888", dash: "dot"}, xaxis: "x", yaxis: "y3"});
  var maxA = Math.max.apply(null, total("ab").concat([1])), maxB = Math.max.apply(null, total("ba").concat([1]));
  var nets = d.ab_net.concat(d.ba_net).map(Math.abs);
  var maxN = Math.max.apply(null, nets.concat([1]));
  var xfmt = d.by === "month" ? "%b %Y" : "%d %b %Y";
  Plotly.newPlot(holder, traces, {
    barmode: "stack", height: 520, margin: {t: 30, r: 20, b: 40, l: 70}, legend: {orientation: "h", y: -0.08},
    grid: {rows: 3, columns: 1, roworder: "top to bottom", ygap: 0.18},
    xaxis: {type: "date", tickformat: xfmt, hoverformat: xfmt, nticks: 10, anchor: "y3"},
    yaxis: {title: {text: "events"}, rangemode: "tozero", tickformat: "d", dtick: step(maxA)},
    yaxis2: {title: {text: "events"}, rangemode: "tozero", tickformat: "d", dtick: step(maxB)},
    yaxis3: {title: {text: "net"}, tickformat: "d", dtick: step(maxN), zeroline: true},
    annotations: [
      {text: d.a + " → " + d.b + ": events per " + per, xref: "paper", yref: "y domain", x: 0, y: 1.12, showarrow: false, xanchor: "left", font: {size: 13}},
      {text: d.b + " → " + d.a + ": events per " + per, xref: "paper", yref: "y2 domain", x: 0, y: 1.12, showarrow: false, xanchor: "left", font: {size: 13}},
      {text: "Net cooperation per " + per + " (cooperative − conflictual events)", xref: "paper", yref: "y3 domain", x: 0, y: 1.12, showarrow: false, xanchor: "left", font: {size: 13}}
    ]
  }, {displaylogo: false, responsive: true});
  holder.on("plotly_click", function (ev) {
    var i = ev.points && ev.points.length ? ev.points[0].pointIndex : -1;
    if (i >= 0 && d.links[i]) { window.location.href = d.links[i]; }
  });
  holder.setAttribute("data-rendered", "1");
});
