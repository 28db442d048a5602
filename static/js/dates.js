/* The one date and date-time format of the page's language, the same as the server's
 * (socialdatalab/formats/<lang>/formats.py): "Dec 1, 2026, 18:51" / "1 de dez. de 2026, 18:51",
 * in the viewer's time zone (the browser's, which static/js/timezone.js hands to the server). */
(function () {
  "use strict";
  var DATE = { day: "numeric", month: "short", year: "numeric" };
  var DATETIME = { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

  function formatter(options) {
    var lang = document.documentElement.lang || undefined;
    try {
      return new Intl.DateTimeFormat(lang, options);
    } catch (error) { /* an unknown language tag: the browser's own */
      return new Intl.DateTimeFormat(undefined, options);
    }
  }

  window.sdlDates = {
    /* "2026-12-01T18:51:00Z" (or a Date) -> "Dec 1, 2026, 18:51" */
    dateTime: function (value) { return formatter(DATETIME).format(new Date(value)); },
    /* "2026-12-01" -> "Dec 1, 2026": a calendar day, so read as local midnight, not UTC */
    date: function (value) {
      var day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + "T00:00:00") : new Date(value);
      return formatter(DATE).format(day);
    }
  };
})();
