/* Comments page: refresh the state of pending moderation actions (pending -> done/failed)
 * without reloading, by polling the states endpoint while any action is pending. */
(function () {
  "use strict";
  var list = document.getElementById("threads");
  if (!list) return;
  var url = list.dataset.statesUrl;
  var status = document.getElementById("live-status");

  function pending() {
    return Array.prototype.slice.call(document.querySelectorAll('.action-state[data-status="pending"]'));
  }

  function poll() {
    var badges = pending();
    if (!badges.length) return;
    var ids = badges.map(function (badge) { return badge.dataset.action; }).join(",");
    fetch(url + "?ids=" + ids, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { actions: [] }; })
      .then(function (data) {
        var finished = data.actions.some(function (action) { return action.status !== "pending"; });
        if (finished) {
          // Reload to show the comment as Meta now has it (hidden, deleted, the new reply).
          if (status) status.textContent = status.dataset.updated || "";
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
