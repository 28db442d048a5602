/*
 * A page waiting for the worker reloads itself: an element with data-reload-every="3000" (the
 * engagement page while a collection's posts are being added up) reloads the page after that
 * many milliseconds, at most data-reload-max times in a row for this address (counted in the
 * tab's sessionStorage), and then shows its [data-reload-late] message instead. The count starts
 * again once the page loads without the element.
 */
(function () {
  "use strict";

  var key = "reloads:" + window.location.pathname + window.location.search;
  var block = document.querySelector("[data-reload-every]");

  // sessionStorage may be refused (some private modes): the page then reloads without counting.
  function reloads() {
    try {
      return parseInt(window.sessionStorage.getItem(key), 10) || 0;
    } catch (error) {
      return 0;
    }
  }

  function remember(count) {
    try {
      if (count) window.sessionStorage.setItem(key, String(count));
      else window.sessionStorage.removeItem(key);
    } catch (error) {
      // nothing to remember with
    }
  }

  if (!block) {
    remember(0);
    return;
  }
  var every = parseInt(block.getAttribute("data-reload-every"), 10) || 3000;
  var most = parseInt(block.getAttribute("data-reload-max"), 10) || 40;
  var done = reloads();
  if (done >= most) {
    var late = block.querySelector("[data-reload-late]");
    if (late) late.hidden = false;
    return;
  }
  window.setTimeout(function () {
    remember(done + 1);
    window.location.reload();
  }, every);
})();
