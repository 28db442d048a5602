"""A tracked public account, visited by the worker through Business Discovery: a snapshot a day,
its new media, and the calls it costs (one for the profile, one per further 25 new media)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from collector.models import CollectionRun, RunKind
from discovery import panel
from discovery.models import TrackedAccount, TrackedStatus
from discovery.tasks import visit_due
from tests.discovery.conftest import Lab, a_day_passes, visited

pytestmark = pytest.mark.usefixtures("celery_worker")


def bd_calls(sandbox: Any, lab: Lab) -> int:
    return sandbox.calls(lab.token)["by_token"].get(lab.token, 0)


def test_a_tracked_account_gets_a_snapshot_a_day_and_its_new_media(sandbox: Any, lab: Lab) -> None:
    panel.add(lab.organization, "@ifma.timon", lab.user)
    tracked = visited(TrackedAccount.objects.get(username="ifma.timon").pk, status=TrackedStatus.OK)
    profile = tracked.profile
    assert profile is not None and profile.credential_id is None and profile.meta_id == "17841400000000100"
    assert profile.media.count() == 100  # the first visit reads 4 pages of 25
    assert tracked.graph_calls == 4
    first = profile.snapshots.get()
    assert first.followers_count == profile.followers_count and first.reach is None

    a_day_passes(tracked)
    grown = requests.post(
        f"{sandbox.url}/_sandbox/discovery/grow",
        json={"account": "ifma.timon", "media": 30, "followers": 120},
        timeout=30,
    ).json()
    before = bd_calls(sandbox, lab)
    tracked.refresh_from_db()
    visit_due.delay()
    tracked = visited(tracked.pk, after=tracked.visited_at, status=TrackedStatus.OK)

    # 30 new media: the profile call brings 25, one more page the other 5 (and stops at known ones).
    assert bd_calls(sandbox, lab) - before == 2 == tracked.graph_calls
    assert profile.media.count() == 130
    days = list(profile.snapshots.order_by("date").values_list("followers_count", flat=True))
    assert len(days) == 2 and days[1] - days[0] == 120 and days[1] == grown["followers_count"]
    run = CollectionRun.objects.filter(profile=profile, kind=RunKind.PUBLIC).order_by("-pk").first()
    assert run is not None and run.graph_calls == 2


def test_a_quiet_day_costs_one_call(sandbox: Any, lab: Lab) -> None:
    panel.add(lab.organization, "ifma.codo", lab.user)
    tracked = visited(TrackedAccount.objects.get(username="ifma.codo").pk, status=TrackedStatus.OK)
    a_day_passes(tracked)
    tracked.refresh_from_db()
    visit_due.delay()
    tracked = visited(tracked.pk, after=tracked.visited_at, status=TrackedStatus.OK)
    assert tracked.graph_calls == 1
    assert tracked.profile is not None and tracked.profile.snapshots.count() == 2


def test_a_removed_account_keeps_its_history_and_is_not_visited(sandbox: Any, lab: Lab) -> None:
    panel.add(lab.organization, "ifma.grajau", lab.user)
    tracked = visited(TrackedAccount.objects.get(username="ifma.grajau").pk, status=TrackedStatus.OK)
    panel.remove(tracked)
    a_day_passes(tracked)
    assert visit_due.apply().get() == 0
    assert tracked.profile is not None and tracked.profile.media.count() == 100
    assert tracked.profile.snapshots.count() == 1
