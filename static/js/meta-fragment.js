/*
 * Meta's OAuth redirect leaves a meaningless fragment on the page it lands on: "#_" (Instagram
 * Login) or "#_=_" (Facebook Login). Drop it from the address bar without a reload, so the URL
 * people copy or bookmark is clean. A static file: the CSP forbids inline scripts.
 */
(function () {
  "use strict";
  if (window.location.hash === "#_" || window.location.hash === "#_=_") {
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
  }
})();
