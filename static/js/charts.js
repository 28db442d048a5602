/* SocialDataLab charts: small SVG line charts, drawn from JSON the page embeds.
 *
 * Markup: <div class="chart" data-chart="line" data-source="ID" data-keys="a b" data-names="A|B">
 * where ID is a json_script element holding [{"date": "YYYY-MM-DD", "a": 1, "b": 2}, ...].
 * No inline style anywhere (the CSP forbids it): sizes are SVG attributes, colours are CSS
 * classes (.series-0, .series-1, ...) in static/css/app.css.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 720, HEIGHT = 240, PAD = { top: 12, right: 12, bottom: 28, left: 56 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function compact(value) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, { notation: "compact" }).format(value);
  }

  function lineChart(container, rows, keys, names) {
    var values = [];
    rows.forEach(function (row) { keys.forEach(function (key) { values.push(Number(row[key]) || 0); }); });
    var min = Math.min.apply(null, values.concat([0])), max = Math.max.apply(null, values.concat([1]));
    if (keys.length === 1) { min = Math.min.apply(null, values); }
    if (max === min) { max = min + 1; }
    var plotW = WIDTH - PAD.left - PAD.right, plotH = HEIGHT - PAD.top - PAD.bottom;
    var x = function (i) { return PAD.left + (rows.length < 2 ? plotW / 2 : (i * plotW) / (rows.length - 1)); };
    var y = function (v) { return PAD.top + plotH - ((v - min) * plotH) / (max - min); };
    var svg = el("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, width: "100%", height: HEIGHT, "aria-hidden": "true", focusable: "false", class: "chart-svg" });
    [0, 0.5, 1].forEach(function (f) {
      var v = min + f * (max - min);
      el("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: "chart-grid" }, svg);
      el("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", class: "chart-label" }, svg).textContent = compact(v);
    });
    if (rows.length) {
      el("text", { x: PAD.left, y: HEIGHT - 8, class: "chart-label" }, svg).textContent = window.sdlDates.date(rows[0].date);
      el("text", { x: WIDTH - PAD.right, y: HEIGHT - 8, "text-anchor": "end", class: "chart-label" }, svg).textContent = window.sdlDates.date(rows[rows.length - 1].date);
    }
    keys.forEach(function (key, index) {
      var points = rows.map(function (row, i) { return x(i).toFixed(1) + "," + y(Number(row[key]) || 0).toFixed(1); });
      el("polyline", { points: points.join(" "), class: "chart-line series-" + index }, svg);
    });
    container.appendChild(svg);
    var legend = document.createElement("ul");
    legend.className = "chart-legend";
    keys.forEach(function (key, index) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch series-" + index;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + (names[index] || key)));
      legend.appendChild(item);
    });
    container.appendChild(legend);
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.source);
    if (!source) return;
    var rows = JSON.parse(source.textContent);
    var keys = (container.dataset.keys || "").split(" ").filter(Boolean);
    var names = (container.dataset.names || "").split("|");
    if (container.dataset.chart === "line") lineChart(container, rows, keys, names);
    container.classList.add("is-drawn");
  }

  function start() { document.querySelectorAll(".chart[data-source]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
