/* Remember the browser's time zone in a cookie so the server shows times (and the best-time
 * heatmap) in the viewer's zone. The next page load uses it. */
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (error) { /* an old browser: the site's time zone is used */ }
})();
