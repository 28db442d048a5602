/*
 * Backfill progress on the connected accounts page (markup: collector/_backfill_progress.html).
 *
 *   <div data-backfill-url="/profiles/7/backfill.json" data-backfill-interval="2000">
 *     <span data-backfill-done>50</span> / <span data-backfill-total>200</span>
 *     <progress value="50" max="200"></progress>
 *   </div>
 *
 * Polls the progress JSON ({running, interrupted, done, total, …}) every interval (default 2 s), updates the
 * counts and the bar, and removes the block once the backfill is no longer running. A failed
 * poll (the network, a restart) is simply tried again at the next tick. While the backfill's
 * worker is lost (`interrupted`), [data-backfill-interrupted] says so instead of a silent bar.
 */
(function () {
  "use strict";

  function update(block, body) {
    var bar = block.querySelector("progress");
    block.querySelector("[data-backfill-done]").textContent = String(body.done);
    block.querySelector("[data-backfill-interrupted]").hidden = !body.interrupted;
    if (body.total !== null) {
      block.querySelector("[data-backfill-total]").textContent = String(body.total);
      bar.max = body.total;
      bar.value = Math.min(body.done, body.total);
      bar.textContent = body.percent + " %";
    }
  }

  function watch(block) {
    var url = block.getAttribute("data-backfill-url");
    var interval = parseInt(block.getAttribute("data-backfill-interval"), 10) || 2000;
    var timer = window.setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (!body) return;
          if (!body.running) {
            window.clearInterval(timer);
            block.remove();
            return;
          }
          update(block, body);
        })
        .catch(function () {});
    }, interval);
  }

  document.querySelectorAll("[data-backfill-url]").forEach(watch);
})();
