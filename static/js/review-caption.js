/* The App Review caption bar (templates/base.html, shown in review mode only): the step the reviewer
 * is seeing comes from the page's ?caption= or from a #caption= fragment set between two clicks, and
 * is remembered for the tab so a redirect (the login, a form post) keeps the last caption. */
(function () {
  "use strict";
  var bar = document.getElementById("review-caption");
  if (!bar) return;
  var step = bar.querySelector(".review-caption-step");
  function show() {
    var fromHash = new URLSearchParams(window.location.hash.slice(1)).get("caption");
    var fromQuery = new URLSearchParams(window.location.search).get("caption");
    var text = fromHash || fromQuery || window.sessionStorage.getItem("review-caption") || "";
    window.sessionStorage.setItem("review-caption", text);
    step.textContent = text;
  }
  show();
  window.addEventListener("hashchange", show);
})();
