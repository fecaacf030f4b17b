/* Draws the staff analytics dashboard from the figures embedded in the page (no API call). */
(function () {
  "use strict";

  var PALETTE = [];  // from the page (analytics.admin.PALETTE), shared with the legend tables
  // Money as zh-CN reads it: ¥1,234,567.89; on an axis, short: ¥500万.
  var MONEY = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY" });
  var MONEY_SHORT = new Intl.NumberFormat("zh-CN", {
    style: "currency", currency: "CNY", notation: "compact", maximumFractionDigits: 1
  });
  var LEVEL_COLOURS = { platinum: "#8e9aaf", gold: "#d4a017", silver: "#b0b7bf", bronze: "#b0703c" };

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function labels(points) { return points.map(function (p) { return p.date; }); }
  function values(points) { return points.map(function (p) { return p.value; }); }

  function lineOptions(extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    };
    return Object.assign(options, extra || {});
  }

  function customers(data, texts) {
    new Chart(document.getElementById("chart-customers"), {
      type: "line",
      data: {
        labels: labels(data.customers.data),
        datasets: [{
          label: texts.customers,
          data: values(data.customers.data),
          borderColor: PALETTE[0],
          backgroundColor: "rgba(65, 118, 144, 0.15)",
          fill: true,
          tension: 0.25
        }]
      },
      options: lineOptions()
    });
  }

  function opportunities(data, texts) {
    new Chart(document.getElementById("chart-opportunities"), {
      data: {
        labels: labels(data.opportunities.data),
        datasets: [
          {
            type: "bar",
            label: texts.opportunities,
            data: values(data.opportunities.data),
            backgroundColor: PALETTE[1],
            yAxisID: "y"
          },
          {
            type: "line",
            label: texts.revenue,
            data: values(data.revenue.data),
            borderColor: PALETTE[2],
            backgroundColor: PALETTE[2],
            tension: 0.25,
            yAxisID: "money"
          }
        ]
      },
      options: lineOptions({
        scales: {
          y: { beginAtZero: true, position: "left", ticks: { precision: 0 } },
          money: {
            beginAtZero: true,
            position: "right",
            grid: { drawOnChartArea: false },
            ticks: { callback: function (value) { return MONEY_SHORT.format(value); } }
          }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = context.dataset.yAxisID === "money"
                  ? MONEY.format(context.parsed.y) : context.parsed.y;
                return context.dataset.label + ": " + value;
              }
            }
          }
        }
      })
    });
  }

  function segments(canvasId, segmentation, texts) {
    var rows = segmentation.segments;
    var canvas = document.getElementById(canvasId);
    if (!rows.length) {
      canvas.parentNode.textContent = texts.noData;
      return;
    }
    new Chart(canvas, {
      type: "doughnut",
      data: {
        labels: rows.map(function (s) { return s.name; }),
        datasets: [{
          label: texts.accounts,
          data: rows.map(function (s) { return s.count; }),
          backgroundColor: rows.map(function (s, i) { return PALETTE[i % PALETTE.length]; })
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          // The page lists the segments in a table beside the chart: a legend inside the
          // canvas would be cut off when there are many.
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                var s = rows[context.dataIndex];
                return s.name + ": " + s.count + " (" + s.percentage + "%), " + texts.revenue + " " + MONEY.format(s.revenue);
              }
            }
          }
        }
      }
    });
  }

  function loyalty(data, texts) {
    var levels = data.loyalty.loyaltyLevels;
    new Chart(document.getElementById("chart-loyalty"), {
      data: {
        labels: levels.map(function (l) { return texts.levels[l.level] || l.level; }),
        datasets: [
          {
            type: "bar",
            label: texts.accounts,
            data: levels.map(function (l) { return l.count; }),
            backgroundColor: levels.map(function (l) { return LEVEL_COLOURS[l.level] || PALETTE[0]; }),
            yAxisID: "y"
          },
          {
            type: "line",
            label: texts.retentionRate,
            data: levels.map(function (l) { return l.retentionRate; }),
            borderColor: PALETTE[4],
            backgroundColor: PALETTE[4],
            yAxisID: "rate"
          }
        ]
      },
      options: lineOptions({
        scales: {
          y: { beginAtZero: true, position: "left", ticks: { precision: 0 } },
          rate: { min: 0, max: 100, position: "right", grid: { drawOnChartArea: false } }
        }
      })
    });
  }

  function draw() {
    var data = readJson("analytics-data");
    var texts = readJson("analytics-texts");
    if (!data || !texts || typeof Chart === "undefined") {
      return;
    }
    PALETTE = texts.palette;
    customers(data, texts);
    opportunities(data, texts);
    segments("chart-industry", data.industry, texts);
    segments("chart-region", data.region, texts);
    loyalty(data, texts);
    document.body.setAttribute("data-analytics-drawn", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
