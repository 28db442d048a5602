"""One date and one date-time format for Brazilian Portuguese on every page (settings.FORMAT_MODULE_PATH).

Month names are lowercase in Portuguese ("b" is Django's lowercase abbreviation); the output matches
Intl.DateTimeFormat("pt-BR", ...) in static/js/dates.js: "1 de dez. de 2026, 18:51"."""

DATE_FORMAT = r"j \d\e b. \d\e Y"
DATETIME_FORMAT = r"j \d\e b. \d\e Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
