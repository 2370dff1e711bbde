// The overview's bar chart: policies printed per month, from the page's json_script data.
(function () {
  "use strict";
  var el = document.getElementById("chart-months");
  var data = document.getElementById("chart-data");
  if (!el || !data || typeof echarts === "undefined") return;
  var rows = JSON.parse(data.textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false, // a working screen, not a show: draw at once
    color: ["#2f5d8a"],
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: rows.map(function (r) { return r.month; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: el.dataset.series, type: "bar", barMaxWidth: 36,
               data: rows.map(function (r) { return r.n; }) }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
