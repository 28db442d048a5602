"""The charting library is served from static/vendor/uplot/, committed as npm built it: the file's
version is the one package.json pins and package-lock.json resolves (`make vendor` rebuilds it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "static" / "vendor" / "uplot"


def test_the_vendored_uplot_is_the_version_the_lockfile_pins() -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["uplot"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/uplot"]
    header = (VENDORED / "uPlot.iife.min.js").read_text(encoding="utf-8")[:200]
    assert re.search(r"uPlot \(v([\d.]+)\)", header).group(1) == pinned == locked["version"]
    assert (VENDORED / "uPlot.min.css").stat().st_size > 0 and (VENDORED / "LICENSE").exists()


def test_the_pages_load_it_from_our_own_static_files() -> None:
    for template in ("profile.html", "engagement.html"):
        text = (ROOT / "insights" / "templates" / "insights" / template).read_text(encoding="utf-8")
        assert "vendor/uplot/uPlot.iife.min.js" in text and "vendor/uplot/uPlot.min.css" in text
        assert "<style" not in text and "style=" not in text
