// The messages page: a countdown to the end of the messaging window that applies, and quick
// replies that fill the composer. Static and CSP-clean: no inline script, no eval.
(function () {
  "use strict";

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  // "2d 03:04:05" / "03:04:05": digits read the same in every language the page is shown in.
  function left(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400);
    var clock = pad(Math.floor((s % 86400) / 3600)) + ":" + pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
    return (d ? d + "d " : "") + clock;
  }

  function countdown() {
    var state = document.getElementById("window-state");
    var out = document.getElementById("window-countdown");
    if (!state || !out || !state.dataset.closesAt) return;
    var closes = Date.parse(state.dataset.closesAt);
    // Reload only on crossing zero here, so a browser clock ahead of the server's cannot loop.
    var crossable = closes > Date.now();
    function tick() {
      var ms = closes - Date.now();
      out.textContent = left(ms);
      out.dataset.secondsLeft = String(Math.max(0, Math.floor(ms / 1000)));
      // The window changed (response -> Human Agent -> closed): the server says what applies now.
      if (ms > 0) window.setTimeout(tick, 1000);
      else if (crossable) window.location.reload();
    }
    tick();
  }

  function quickReplies() {
    var text = document.getElementById("message-text");
    document.querySelectorAll("[data-quick-reply]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!text || text.disabled) return;
        text.value = button.dataset.quickReply;
        text.focus();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    countdown();
    quickReplies();
  });
})();
