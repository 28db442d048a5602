/*
 * Progress bars that poll their JSON ({running, interrupted, done, total, percent}) every
 * interval (data-<kind>-interval, default 2 s) and update their counts and bar:
 *
 *   <div data-backfill-url="/profiles/7/backfill.json">           (collector/_backfill_progress.html)
 *     <span data-backfill-done>50</span> / <span data-backfill-total>200</span>
 *     <span data-backfill-interrupted hidden>…</span> <progress value="50" max="200"></progress>
 *   </div>
 *
 * A backfill's block is removed once it no longer runs; a release being built (data-release-*,
 * releases/_progress.html) reloads the page to show its download or its failure. A failed poll
 * (the network, a restart) is simply tried again at the next tick. While the worker is lost
 * (`interrupted`), [data-<kind>-interrupted] says so instead of a silent bar.
 */
(function () {
  "use strict";

  var WHEN_DONE = {
    backfill: function (block) {
      block.remove();
    },
    release: function () {
      window.location.reload();
    },
  };

  function part(block, kind, name) {
    return block.querySelector("[data-" + kind + "-" + name + "]");
  }

  function update(block, kind, body) {
    var bar = block.querySelector("progress");
    part(block, kind, "done").textContent = String(body.done);
    part(block, kind, "interrupted").hidden = !body.interrupted;
    if (body.total !== null) {
      part(block, kind, "total").textContent = String(body.total);
      bar.max = Math.max(body.total, 1);
      bar.value = Math.min(body.done, body.total);
      bar.textContent = body.percent + " %";
    }
  }

  function watch(block, kind) {
    var url = block.getAttribute("data-" + kind + "-url");
    var interval = parseInt(block.getAttribute("data-" + kind + "-interval"), 10) || 2000;
    var timer = window.setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (!body) return;
          if (!body.running) {
            window.clearInterval(timer);
            WHEN_DONE[kind](block);
            return;
          }
          update(block, kind, body);
        })
        .catch(function () {});
    }, interval);
  }

  Object.keys(WHEN_DONE).forEach(function (kind) {
    document.querySelectorAll("[data-" + kind + "-url]").forEach(function (block) {
      watch(block, kind);
    });
  });
})();
