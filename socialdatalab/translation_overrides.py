"""Wording of third-party catalogues that we say better in Brazilian Portuguese.

Django reads locale/ (LOCALE_PATHS) before any app's catalogue, so these entries of our project
catalogue replace django.contrib.humanize's "23 horas a partir de agora" by "daqui a 23 horas" and
allauth's "Lembrar de Mim" by "Lembrar de mim". Nothing imports this module: `make messages` reads
it, so that makemessages --no-obsolete keeps the entries with their translations."""

from django.utils.translation import gettext_noop, ngettext_lazy

OVERRIDES = (
    # django.contrib.humanize's naturaltime, for times to come (a reconnect deadline, a retry).
    gettext_noop("%(delta)s from now"),
    ngettext_lazy("a second from now", "%(count)s seconds from now", "count"),
    ngettext_lazy("a minute from now", "%(count)s minutes from now", "count"),
    ngettext_lazy("an hour from now", "%(count)s hours from now", "count"),
    # allauth's login form.
    gettext_noop("Remember Me"),
    # humanize's past naturaltime: "há 3 horas" reads better than "3 horas atrás" beside "daqui a 3 horas".
    ngettext_lazy("an hour ago", "%(count)s hours ago", "count"),
    ngettext_lazy("a minute ago", "%(count)s minutes ago", "count"),
    ngettext_lazy("a second ago", "%(count)s seconds ago", "count"),
    gettext_noop("%(delta)s ago"),
)
