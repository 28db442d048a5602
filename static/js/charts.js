/* SocialDataLab charts, drawn with uPlot (static/vendor/uplot/, vendored by `make vendor`).
 *
 * Time chart: <div class="chart" data-source="ID" data-keys="a b" data-names="A|B" data-gaps="GID"
 *   data-gap-label="…" data-no-data="…"> where ID is a json_script element holding
 *   [{"date": "YYYY-MM-DD", "a": 1, "b": null}, ...] (null: not known, drawn as a break, never 0)
 *   and GID one holding [{"start": ISO, "end": ISO or null, "label": "Token expired"}, ...].
 * Sparkline: <div class="sparkline" data-source="ID" data-key="a"> beside a headline number.
 *
 * CSP: no inline script or style. uPlot and this file size things through the CSSOM
 * (element.style.x = …), which style-src 'self' allows; colours live here for the canvas and
 * in static/css/app.css for the legend, tooltip and gap bands.
 */
(function () {
  "use strict";
  var COLOURS = ["#3b3bb3", "#c13584", "#17803d", "#b45309"];
  var HEIGHT = 240, DAY = 86400;

  function lang() { return document.documentElement.lang || undefined; }
  function number(value) {
    return value === null || value === undefined ? "—" : new Intl.NumberFormat(lang()).format(value);
  }
  function compact(value) { return new Intl.NumberFormat(lang(), { notation: "compact" }).format(value); }
  /* "12K" is readable until three ticks all say it (followers 12,380-12,420): then the full number. */
  function ticks(u, splits) {
    var short = splits.map(compact);
    return short.every(function (label, i) { return short.indexOf(label) === i; }) ? short : splits.map(number);
  }
  function dayFormat(options) {
    try { return new Intl.DateTimeFormat(lang(), Object.assign({ timeZone: "UTC" }, options)); }
    catch (error) { return new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: "UTC" }, options)); }
  }
  function epoch(day) { var p = day.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 1000; }
  function json(id) { var node = id && document.getElementById(id); return node ? JSON.parse(node.textContent) : []; }
  function el(tag, className, parent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }
  function fromZero(u, min, max) { return [0, Math.max(1, max)]; }
  function peak(values) { return values.reduce(function (m, v) { return v !== null && v > m ? v : m; }, 0); }

  /* A series ten times smaller than the largest gets its own axis on the right. */
  function scaleOf(peaks, index) {
    var top = Math.max.apply(null, peaks.concat([1]));
    return peaks[index] * 10 < top ? "small" : "y";
  }

  function gapsWithin(gaps, first, last) {
    return gaps.map(function (gap) {
      var start = Date.parse(gap.start) / 1000, end = gap.end ? Date.parse(gap.end) / 1000 : last + DAY;
      return { start: Math.max(start, first), end: Math.min(end, last + DAY), label: gap.label };
    }).filter(function (gap) { return gap.end > gap.start; });
  }

  function gapAt(gaps, x) {
    var hit = gaps.filter(function (gap) { return x + DAY > gap.start && x < gap.end; })[0];
    return hit ? hit.label : "";
  }

  /* Shaded bands in the plot's overlay: DOM nodes, so they carry their reason as text. */
  function bandsPlugin(gaps, prefix) {
    function place(u) {
      u.over.querySelectorAll(".chart-gap").forEach(function (node) { node.remove(); });
      gaps.forEach(function (gap) {
        var left = u.valToPos(gap.start, "x"), right = u.valToPos(gap.end, "x");
        var band = el("div", "chart-gap", u.over);
        band.style.left = Math.max(0, left) + "px";
        band.style.width = Math.max(2, right - Math.max(0, left)) + "px";
        band.title = prefix + ": " + gap.label;
        band.dataset.reason = gap.label;
      });
    }
    return { hooks: { ready: place, setSize: place, setScale: place } };
  }

  function tooltipPlugin(names, gaps, noData) {
    var tip;
    function show(u) {
      if (!tip) { tip = el("div", "chart-tooltip", u.over); tip.setAttribute("role", "status"); }
      var idx = u.cursor.idx;
      if (idx === null || idx === undefined) { tip.hidden = true; return; }
      var x = u.data[0][idx];
      tip.textContent = "";
      el("strong", "", tip).textContent = dayFormat({ day: "numeric", month: "short", year: "numeric" }).format(new Date(x * 1000));
      names.forEach(function (name, i) {
        var value = u.data[i + 1][idx];
        el("div", "chart-tip-row series-" + i, tip).textContent = name + ": " + (value === null ? noData : number(value));
      });
      var gap = gapAt(gaps, x);
      if (gap) el("div", "chart-tip-gap", tip).textContent = gap;
      tip.hidden = false;
      var left = u.cursor.left, width = u.over.clientWidth;
      tip.style.left = (left > width / 2 ? left - tip.offsetWidth - 12 : left + 12) + "px";
      tip.style.top = Math.max(0, (u.cursor.top || 0) - 10) + "px";
    }
    return { hooks: { setCursor: show } };
  }

  function timeChart(container) {
    var rows = json(container.dataset.source);
    var keys = (container.dataset.keys || "").split(" ").filter(Boolean);
    var names = (container.dataset.names || "").split("|");
    if (!rows.length) return;
    var xs = rows.map(function (row) { return epoch(row.date); });
    var columns = keys.map(function (key) {
      return rows.map(function (row) { return row[key] === null || row[key] === undefined ? null : Number(row[key]); });
    });
    var peaks = columns.map(peak);
    var gaps = gapsWithin(json(container.dataset.gaps), xs[0], xs[xs.length - 1]);
    var twoScales = keys.some(function (_, i) { return scaleOf(peaks, i) === "small"; });
    var axes = [
      { values: function (u, splits) { var f = dayFormat({ day: "numeric", month: "short" }); return splits.map(function (s) { return f.format(new Date(s * 1000)); }); }, space: 70 },
      { scale: "y", values: ticks, size: 60 }
    ];
    if (twoScales) axes.push({ scale: "small", side: 1, grid: { show: false }, values: ticks, size: 52 });
    var options = {
      width: Math.max(280, container.clientWidth), height: HEIGHT,
      /* Counts of several series start at 0; one series alone (followers) zooms to its own span. */
      scales: { x: { time: true }, y: keys.length > 1 ? { range: fromZero } : {}, small: { range: fromZero } },
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "UTC"); },
      axes: axes,
      legend: { show: false },
      cursor: { y: false, points: { size: 7 } },
      series: [{}].concat(keys.map(function (key, i) {
        return { label: names[i] || key, scale: scaleOf(peaks, i), stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false, points: { show: rows.length < 40 } };
      })),
      plugins: [bandsPlugin(gaps, container.dataset.gapLabel || "Data gap"), tooltipPlugin(names, gaps, container.dataset.noData || "no data")]
    };
    var plot = new uPlot(options, [xs].concat(columns), container);
    legend(container, names, keys, twoScales ? keys.map(function (_, i) { return scaleOf(peaks, i); }) : null, gaps.length ? container.dataset.gapLabel : "");
    if (window.ResizeObserver) {
      new ResizeObserver(function () { plot.setSize({ width: Math.max(280, container.clientWidth), height: HEIGHT }); }).observe(container);
    }
  }

  function legend(container, names, keys, scales, gapLabel) {
    var list = el("ul", "chart-legend", container);
    keys.forEach(function (key, index) {
      var item = el("li", "", list);
      el("span", "swatch series-" + index, item);
      var label = names[index] || key;
      if (scales && scales[index] === "small") label += " " + (container.dataset.rightAxis || "(right axis)");
      item.appendChild(document.createTextNode(" " + label));
    });
    if (gapLabel) {
      var gap = el("li", "", list);
      el("span", "swatch swatch-gap", gap);
      gap.appendChild(document.createTextNode(" " + gapLabel));
    }
  }

  function sparkline(container) {
    var rows = json(container.dataset.source), key = container.dataset.key;
    if (rows.length < 2) return;
    var ys = rows.map(function (row) { return row[key] === null || row[key] === undefined ? null : Number(row[key]); });
    new uPlot({
      width: Math.max(80, container.clientWidth), height: 32, class: "sparkline-plot",
      legend: { show: false }, cursor: { show: false }, select: { show: false },
      scales: { x: { time: false } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: COLOURS[0], width: 1.5, spanGaps: false, points: { show: false } }]
    }, [rows.map(function (_, i) { return i; }), ys], container);
  }

  function draw(container) {
    if (typeof uPlot === "undefined") return;
    if (container.classList.contains("sparkline")) sparkline(container); else timeChart(container);
    container.classList.add("is-drawn");
  }

  function start() { document.querySelectorAll(".chart[data-source], .sparkline[data-source]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
