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


def _copy_for_makemessages(catalogue: str, destination: Path) -> Path:
    if catalogue == "project":
        for name in PROJECT_SOURCES:
            shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        return destination
    shutil.copytree(ROOT / catalogue, destination / catalogue, ignore=shutil.ignore_patterns("__pycache__"))
    return destination / catalogue


@pytest.mark.parametrize("catalogue", [*APPS, "project"])
def test_makemessages_leaves_nothing_untranslated(catalogue, tmp_path):
    copy = _copy_for_makemessages(catalogue, tmp_path)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "pt_BR", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip

    assert untranslated((copy / CATALOGUE).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("catalogue", [*APPS, "project"])
def test_the_compiled_catalogue_says_what_its_source_says(catalogue, tmp_path):
    source = (ROOT if catalogue == "project" else ROOT / catalogue) / CATALOGUE
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(source)], check=True)

    with compiled.open("rb") as fresh, source.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog
