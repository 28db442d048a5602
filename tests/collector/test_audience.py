"""Audience history: Meta's follower and engaged-audience demographics (age, gender, city,
country; lifetime, total_value, timeframe=this_month) and online followers, read by a daily task
and kept per day; shown on the profile; under Meta's 100-follower floor "hidden by Meta" (null,
with its reason, and a "withheld" gap), never zeros."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from collector.audience import AudienceSnapshot
from collector.gaps import DataGap, GapReason
from collector.tasks import audience_all, collect_audience
from meta.errors import MetaError


def _page(profile) -> str:
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Role

    user = get_user_model().objects.create_user(f"reader.{profile.pk}", password="x")
    Membership.objects.create(organization=profile.organization, user=user, role=Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client.get(reverse("profile", args=[profile.pk])).content.decode()


def test_a_daily_run_keeps_each_breakdown_of_the_audience(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("ifma.caxias")
    followers = next(a for a in sandbox.accounts() if a["username"] == "ifma.caxias")["followers_count"]
    sandbox.reset_calls()

    assert collect_audience.delay(profile.pk).get(timeout=60) == "ok"

    rows = {(row.metric, row.breakdown): row for row in AudienceSnapshot.objects.filter(profile=profile)}
    assert len(rows) == 9 and sandbox.calls(token=profile.credential.token)["total"] == 9
    ages = rows[("follower_demographics", "age")]
    assert ages.timeframe == "this_month" and ages.withheld == ""
    assert sum(ages.values.values()) == followers and "18-24" in ages.values
    assert set(rows[("follower_demographics", "gender")].values) == {"F", "M", "U"}
    assert "São Luís, Maranhão" in rows[("engaged_audience_demographics", "city")].values
    assert set(rows[("online_followers", "hour")].values) == {str(hour) for hour in range(24)}
    assert not DataGap.objects.filter(profile=profile).exists()

    page = _page(profile)
    assert 'id="audience-follower_demographics-city"' in page and "São Luís, Maranhão" in page
    assert "hidden by Meta" not in page


def test_under_100_followers_meta_withholds_it_and_the_page_says_so(sandbox, connect, workers) -> None:
    workers(1)
    sandbox.create_account("tiny.campus", 5, followers=40)
    profile = connect("tiny.campus")

    assert collect_audience.delay(profile.pk).get(timeout=60) == "ok"

    rows = AudienceSnapshot.objects.filter(profile=profile)
    assert rows.count() == 9
    assert all(row.values is None and row.withheld == "below_privacy_floor" for row in rows)
    gap = DataGap.objects.get(profile=profile)
    assert gap.reason == GapReason.WITHHELD and gap.ended_at is None and "follower_demographics/age" in gap.detail
    page = _page(profile)
    assert page.count("hidden by Meta") == 9


@pytest.mark.django_db
def test_a_daily_beat_entry_reads_the_audience() -> None:
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="collector.tasks.audience_all")
    assert (entry.crontab.hour, entry.crontab.minute, entry.queue) == ("3", "40", "collect")


def test_the_daily_task_queues_every_instagram_profile(sandbox, connect, workers) -> None:
    workers(1)
    connect("ifma.imperatriz")
    assert audience_all.delay().get(timeout=30) == 1


def test_the_sandbox_answers_demographics_only_as_meta_does_since_v20(sandbox, connect) -> None:
    profile = connect("ifma.saoluis")
    client = profile.credential.graph_client()
    base = {"metric": "follower_demographics", "period": "lifetime", "breakdown": "country"}
    for wrong in ({"metric_type": "total_value", "timeframe": "last_30_days"}, {"timeframe": "this_month"}, {}):
        with pytest.raises(MetaError) as refused:
            client.get(f"{profile.meta_id}/insights", {**base, **wrong})
        assert refused.value.code == 100
    answer = client.get(f"{profile.meta_id}/insights", {**base, "metric_type": "total_value", "timeframe": "this_week"})
    item = answer["data"][0]
    assert item["period"] == "lifetime" and "value" not in item["total_value"]
    assert item["total_value"]["breakdowns"][0]["dimension_keys"] == ["country"]


@pytest.mark.django_db
def test_the_audience_export_has_one_row_per_segment_and_withheld_ones_empty(client) -> None:
    import io

    import pandas as pd
    from django.utils import timezone

    from tests.insights.builders import account

    lab = account("audience.export")
    today = timezone.localdate()  # the periods are the viewer's days
    AudienceSnapshot.objects.create(
        profile=lab.profile, date=today, metric="follower_demographics", breakdown="gender", timeframe="this_month",
        values={"F": 700, "M": 280, "U": 20},
    )  # fmt: skip
    AudienceSnapshot.objects.create(
        profile=lab.profile, date=today, metric="engaged_audience_demographics", breakdown="gender",
        timeframe="this_month", values=None, withheld="below_privacy_floor",
    )  # fmt: skip
    client.force_login(lab.user)
    url = reverse("export", args=[lab.profile.pk]) + "?period=7&dataset=audience&format=csv"
    frame = pd.read_csv(io.BytesIO(b"".join(client.get(url).streaming_content)))

    assert list(frame.columns) == [
        "account", "account_id", "date", "metric", "breakdown", "timeframe", "segment", "accounts", "withheld"
    ]
    followers = frame[frame["metric"] == "follower_demographics"]
    assert followers["segment"].tolist() == ["F", "M", "U"] and followers["accounts"].tolist() == [700, 280, 20]
    withheld = frame[frame["metric"] == "engaged_audience_demographics"]
    assert len(withheld) == 1 and withheld["withheld"].iloc[0] == "below_privacy_floor"
    assert pd.isna(withheld["accounts"].iloc[0]) and pd.isna(withheld["segment"].iloc[0])  # not 0
