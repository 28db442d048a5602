"""Every user-facing string of insights has a Brazilian Portuguese translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale/pt_BR/LC_MESSAGES/django.po")


def untranslated(po: str) -> list[str]:
    """msgids whose msgstr is empty, or entries still marked fuzzy."""
    problems = []
    for block in po.split("\n\n")[1:]:
        if "#, fuzzy" in block:
            problems.append(block)
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', block, flags=re.M)
        if strings and any(not (first + "".join(rest)).strip('"\n') for first, rest in strings):
            problems.append(block)
    return problems


def test_makemessages_leaves_nothing_untranslated(tmp_path):
    copy = tmp_path / "insights"
    shutil.copytree(ROOT / "insights", copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "pt_BR", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    assert untranslated((copy / CATALOGUE).read_text(encoding="utf-8")) == []


def test_the_compiled_catalogue_matches_the_source():
    po, mo = ROOT / "insights" / CATALOGUE, (ROOT / "insights" / CATALOGUE).with_suffix(".mo")
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1


def test_pages_render_in_portuguese(client: Client, db):
    response = client.get(reverse("metrics_help"), HTTP_ACCEPT_LANGUAGE="pt-br")
    assert "Como as métricas são definidas" in response.content.decode()
