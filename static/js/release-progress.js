/*
 * A release being built (markup: releases/_progress.html), polled like the backfill's bar
 * (backfill.js): every 2 s the progress JSON ({status, running, done, total, percent}) updates the
 * counts and the bar; once the build is no longer running the page reloads to show the download
 * (or the failure). A failed poll is simply tried again at the next tick. While the build's worker
 * is lost (`interrupted`), [data-release-interrupted] says so until the re-queued build beats.
 */
(function () {
  "use strict";

  function update(block, body) {
    var bar = block.querySelector("progress");
    block.querySelector("[data-release-done]").textContent = String(body.done);
    block.querySelector("[data-release-interrupted]").hidden = !body.interrupted;
    if (body.total !== null) {
      block.querySelector("[data-release-total]").textContent = String(body.total);
      bar.max = Math.max(body.total, 1);
      bar.value = Math.min(body.done, body.total);
      bar.textContent = body.percent + " %";
    }
  }

  function watch(block) {
    var url = block.getAttribute("data-release-url");
    var timer = window.setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (!body) return;
          if (!body.running) {
            window.clearInterval(timer);
            window.location.reload();
            return;
          }
          update(block, body);
        })
        .catch(function () {});
    }, 2000);
  }

  document.querySelectorAll("[data-release-url]").forEach(watch);
})();
