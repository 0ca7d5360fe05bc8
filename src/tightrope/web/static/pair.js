// The pair page's timeline: stacked bars of events by quad class, mean intensity as a line.
// Data come from the <script type="application/json" id="chart-data"> block; plotly.min.js is served
// locally from the plotly Python package.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("chart");
  var block = document.getElementById("chart-data");
  if (!holder || !block || typeof Plotly === "undefined") { return; }
  var d = JSON.parse(block.textContent);
  var names = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict", "4": "material conflict"};
  var colours = {"1": "#8fc1e3", "2": "#1f77b4", "3": "#f4a582", "4": "#b2182b"};
  var traces = ["1", "2", "3", "4"].map(function (q) {
    return {type: "bar", x: d.periods, y: d.quads[q], name: names[q], marker: {color: colours[q]}};
  });
  traces.push({type: "scatter", mode: "lines+markers", x: d.periods, y: d.mean, name: "mean intensity",
               yaxis: "y2", line: {color: "#222"}});
  Plotly.newPlot(holder, traces, {
    barmode: "stack", margin: {t: 20, r: 60, b: 60, l: 50}, legend: {orientation: "h"},
    yaxis: {title: {text: "events"}}, xaxis: {type: "category"},
    yaxis2: {title: {text: "mean intensity"}, overlaying: "y", side: "right", range: [-10.5, 10.5], dtick: 5, zeroline: true}
  }, {displaylogo: false, responsive: true});
  holder.setAttribute("data-rendered", "1");
});
