"""Django reads locale/ first, then the installed apps in INSTALLED_APPS order: admin, auth, humanize
and allauth come before ours, so a bare msgid they share with us ("Filter", "Delete") is shown in
their words ("Filtro", "Remover"), not ours. Every entry of our catalogues must be what pages show."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.utils import translation

from tests.foundation.test_translations import APPS, CATALOGUE, ROOT


def shown(key: str | tuple[str, int]) -> str:
    """What Django's active translation says for a key of a compiled catalogue."""
    msgid = key[0] if isinstance(key, tuple) else key
    context, _, text = msgid.rpartition("\x04")
    if isinstance(key, tuple):
        return translation.npgettext(context, text, text, 1) if context else translation.ngettext(text, text, 1)
    return translation.pgettext(context, text) if context else translation.gettext(text)


@pytest.mark.parametrize("catalogue", [*APPS, "project"])
def test_it_shows_each_of_our_translations_as_written(catalogue: str) -> None:
    compiled = ((ROOT if catalogue == "project" else ROOT / catalogue) / CATALOGUE).with_suffix(".mo")
    with Path(compiled).open("rb") as source:
        ours = gettext.GNUTranslations(source)._catalog
    with translation.override("pt-br"):
        overridden = {
            key: (text, shown(key))
            for key, text in ours.items()
            if key and not (isinstance(key, tuple) and key[1]) and shown(key) != text
        }
    assert overridden == {}
