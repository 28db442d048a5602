/*
 * Worker watch: where someone waits on a Celery worker (a pending reply, a backfill, a profile's
 * status), keep "Waiting for the worker since HH:MM" true without a reload.
 *
 * Markup contract (templates/_worker_waiting.html, insights/_status_badge.html):
 *   <script src="worker-watch.js" data-worker-url="/worker.json" defer></script>
 *   <span data-worker-down hidden>Waiting for the worker since 20:41</span>  shown while none runs
 *   <span data-worker-up>…the usual state…</span>                           shown while one runs
 *
 * Polls the URL ({up, last_seen, label}) every 5 s while the page has such elements, shows the
 * [data-worker-down] ones with the label while the worker is down and the [data-worker-up] ones
 * while it runs. A failed poll leaves the page as it is until the next one.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-worker-url");
  var INTERVAL = 5000;

  function apply(state) {
    document.querySelectorAll("[data-worker-down]").forEach(function (element) {
      element.hidden = state.up;
      if (!state.up) element.textContent = state.label;
    });
    document.querySelectorAll("[data-worker-up]").forEach(function (element) {
      element.hidden = !state.up;
    });
  }

  function poll() {
    if (!document.querySelector("[data-worker-down]")) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state) apply(state);
      })
      .catch(function () {})
      .finally(function () {
        window.setTimeout(poll, INTERVAL);
      });
  }

  if (url) window.setTimeout(poll, INTERVAL);
})();
