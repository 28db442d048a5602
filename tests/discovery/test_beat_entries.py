"""The panel's visits and the tags collection are django-celery-beat rows, editable in the admin."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def test_beat_visits_the_panel_hourly_and_reads_tags_every_six_hours() -> None:
    rows = {row.task: row for row in PeriodicTask.objects.filter(task__startswith="discovery.tasks.")}
    assert set(rows) == {"discovery.tasks.visit_due", "discovery.tasks.tags_all"}
    visits = rows["discovery.tasks.visit_due"]
    assert (visits.interval.every, visits.queue) == (60, "collect")
    assert rows["discovery.tasks.tags_all"].interval.every == 360 and rows["discovery.tasks.tags_all"].enabled
