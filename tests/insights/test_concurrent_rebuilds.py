"""Two rebuilds of one profile's daily aggregates at once (two runs ending together, each with its
rebuild hook) both succeed and leave one row per day and kind."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from collector.models import Media
from insights.aggregates import rebuild_daily_metrics
from insights.models import DailyMetric
from tests.insights.builders import account

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]
REBUILDS = 15


def test_two_workers_rebuilding_one_profile_at_once_both_finish_with_one_row_per_day() -> None:
    profile = account("busy.campus").profile
    now = timezone.now()
    Media.objects.bulk_create(
        Media(profile=profile, meta_id=f"m{n}", timestamp=now - timedelta(days=n % 20), media_type="IMAGE", reach=10)
        for n in range(200)
    )
    start = threading.Barrier(2)

    def rebuild_repeatedly() -> int:
        start.wait(10)
        try:
            return sum(rebuild_daily_metrics(profile.pk) for _ in range(REBUILDS))
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        written = [future.result(120) for future in [pool.submit(rebuild_repeatedly) for _ in range(2)]]

    days = DailyMetric.objects.filter(profile=profile)
    assert written == [REBUILDS * days.count()] * 2
    assert days.count() == len(set(days.values_list("date", "kind"))) <= 21
    assert sum(days.values_list("posts", flat=True)) == 200
