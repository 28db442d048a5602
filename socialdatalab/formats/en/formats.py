"""One date and one date-time format for English on every page (settings.FORMAT_MODULE_PATH).

The same output as static/js/dates.js gives with Intl.DateTimeFormat("en", ...): "Dec 1, 2026, 18:51".
Django's own en formats mix "Dec. 1, 2026, 6:51 p.m." and "12/01/2026 6:51 p.m."."""

DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
