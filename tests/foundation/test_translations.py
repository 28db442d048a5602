"""Every user-facing string has a Brazilian Portuguese translation, and the compiled catalogues
that Django reads say the same as their sources."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale/pt_BR/LC_MESSAGES/django.po")
APPS = ["accounts", "collector", "discovery", "insights", "publishing", "releases", "storyvault", "webhooks"]
# The project's own catalogue covers what lives outside the apps.
PROJECT_SOURCES = ["templates", "socialdatalab", "locale"]


def untranslated(po: str) -> list[str]:
    """Entries whose msgstr is empty, or still marked fuzzy."""
    problems = []
    for block in po.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue
        if "#, fuzzy" in block:
            problems.append(block)
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', block, flags=re.M)
        if strings and any(not (first + "".join(rest)).strip('"\n') for first, rest in strings):
            problems.append(block)
    return problems


def test_makemessages_leaves_nothing_untranslated(tmp_path: Path) -> None:
    # One run over a copy of every app and the project's sources: each file's strings go to the
    # catalogue of the nearest locale folder above it (an app's own, or the project's).
    for name in [*APPS, *PROJECT_SOURCES]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "pt_BR", "--no-obsolete"],
        cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip

    problems = {
        catalogue: untranslated((tmp_path / folder / CATALOGUE).read_text(encoding="utf-8"))
        for catalogue, folder in [*((app, app) for app in APPS), ("project", ".")]
    }
    assert {catalogue: found for catalogue, found in problems.items() if found} == {}


@pytest.mark.parametrize("catalogue", [*APPS, "project"])
def test_the_compiled_catalogue_says_what_its_source_says(catalogue, tmp_path):
    source = (ROOT if catalogue == "project" else ROOT / catalogue) / CATALOGUE
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(source)], check=True)

    with compiled.open("rb") as fresh, source.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog
