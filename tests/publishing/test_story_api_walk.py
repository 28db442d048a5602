"""docs/story-api.md's walk, run as written: curl against a live server, a photo and a video story
published on the sandbox Page, their insights read back."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import Organization
from collector.models import Platform, Profile
from tests.conftest import ROOT, worker_environment
from tests.publishing.conftest import JPEG
from tests.publishing.mp4 import mp4

pytestmark = pytest.mark.usefixtures("celery_worker", "transactional_db")

GUIDE = ROOT / "docs" / "story-api.md"
# Between publishing and reading insights, the walk's reader waits for viewers; the sandbox gives them.
VIEWERS = """
for id in $PHOTO_ID $VIDEO_ID; do
  post=$(api "$BASE/social-media/facebook/story/$DEALER_ID/$id" | jq -r .facebook_post_id)
  curl -sf -X POST "$SANDBOX/_sandbox/story_insights" -H 'Content-Type: application/json' \\
    -d "{\\"id\\": \\"$post\\", \\"metrics\\": {\\"reach\\": 12, \\"views\\": 20}}" > /dev/null
done
"""


def walk_blocks() -> list[str]:
    """The ```sh blocks of section 3, in order."""
    section = GUIDE.read_text(encoding="utf-8").split("## 3. The walk", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def json_documents(text: str) -> list[Any]:
    decoder, found, position = json.JSONDecoder(), [], 0
    while (start := text.find("{", position)) != -1:
        document, position = decoder.raw_decode(text, start)
        found.append(document)
    return found


def test_the_guides_walk_publishes_a_photo_and_a_video_story_and_reads_their_insights(
    sandbox: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")  # what `make run` does on a clean start
    dealer = Organization.objects.get(memberships__user__username="demo")
    page = Profile.objects.get(organization=dealer, platform=Platform.FACEBOOK_PAGE)
    (tmp_path / "story.jpg").write_bytes(JPEG)
    (tmp_path / "story.mp4").write_bytes(mp4(seconds=15))
    (tmp_path / "manage.py").symlink_to(ROOT / "manage.py")
    blocks = walk_blocks()
    script = "set -eo pipefail\n" + "".join(blocks[:-1]) + VIEWERS + blocks[-1]
    env = worker_environment(
        settings,
        BASE=live_server.url,
        DEALER_ID=str(dealer.pk),
        PAGE_ID=page.meta_id,
        SANDBOX=sandbox.url,
        PYTHONPATH=str(ROOT),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )

    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)

    assert done.returncode == 0, done.stderr[-3000:]
    documents = json_documents(done.stdout)
    photo, video, *insights = documents
    assert photo["status_display"] == video["status_display"] == "Publicado", documents
    on_page = {s["post_id"]: s for s in sandbox.published()["page_stories"]}
    assert on_page[photo["facebook_post_id"]]["media_type"] == "photo"
    assert on_page[video["facebook_post_id"]]["media_type"] == "video"
    assert [metrics["reach"]["value"] for metrics in insights] == [12, 12]
    assert all("post_impressions_unique" in metrics["reach"]["source"] for metrics in insights)
