// The dashboard's chart: each child unit's callback, receipt and persistency rates.
(function () {
  "use strict";
  var el = document.getElementById("board-chart");
  var data = document.getElementById("board-data");
  if (!el || !data || typeof echarts === "undefined") return;
  var board = JSON.parse(data.textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: board.units.map(function (u) { return u.code; }) },
    yAxis: { type: "value", min: 0, max: 1 },
    series: board.codes.map(function (code, i) {
      return { name: board.labels[i], type: "bar", barMaxWidth: 24,
               data: board.units.map(function (u) { return u.values[i]; }) };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
