// The dashboard's charts: each child unit's callback, receipt and persistency rates, and
// the unit's own by month.
(function () {
  "use strict";
  var data = document.getElementById("board-data");
  if (!data || typeof echarts === "undefined") return;
  var board = JSON.parse(data.textContent);
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({
      animation: false,
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      tooltip: { trigger: "axis" },
      yAxis: { type: "value", min: 0, max: 1 }
    }, option));
    charts.push(chart);
  }

  draw("board-chart", {
    xAxis: { type: "category", data: board.units.map(function (u) { return u.code; }) },
    series: board.codes.map(function (code, i) {
      return { name: board.labels[i], type: "bar", barMaxWidth: 24,
               data: board.units.map(function (u) { return u.values[i]; }) };
    })
  });
  draw("board-trend", {
    xAxis: { type: "category", data: board.months },
    series: board.codes.map(function (code, i) {
      return { name: board.labels[i], type: "line", connectNulls: false,
               data: board.trend[i] };
    })
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
