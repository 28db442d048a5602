"""`manage.py collect <username>` and `collect --all --backfill`, as a researcher runs them: the
work is queued and a real worker does it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from collector.models import CollectionRun, Media, RunKind, RunOutcome
from tests.waiting import wait_for


def _ok(kind: RunKind, count: int):
    return lambda: CollectionRun.objects.filter(kind=kind, outcome=RunOutcome.OK).count() >= count


def test_collect_one_username_syncs_that_profile_only(sandbox, connect, workers, capsys) -> None:
    workers(1)
    wanted, other = connect("command.one", media=15), connect("command.other", media=5)

    call_command("collect", "@command.one")

    assert "queued sync of @command.one" in capsys.readouterr().out
    wait_for(_ok(RunKind.SYNC, 1), 60, "the sync")
    assert list(CollectionRun.objects.values_list("profile", "kind")) == [(wanted.pk, RunKind.SYNC)]
    assert Media.objects.filter(profile=wanted).count() == 15
    assert not Media.objects.filter(profile=other).exists()


def test_collect_all_with_backfill_backfills_every_connected_profile(sandbox, connect, workers) -> None:
    workers(1)
    profiles = [connect("command.all1", media=30), connect("command.all2", media=40)]

    call_command("collect", "--all", "--backfill")

    wait_for(_ok(RunKind.BACKFILL, 2), 90, "both backfills")
    for profile, media in zip(profiles, (30, 40), strict=True):
        profile.refresh_from_db()
        assert profile.backfill_finished_at is not None
        assert Media.objects.filter(profile=profile).exclude(media_product_type="STORY").count() == media


@pytest.mark.django_db
def test_collect_refuses_an_unknown_username_or_no_target() -> None:
    with pytest.raises(CommandError, match="no connected profile"):
        call_command("collect", "nobody.here")
    with pytest.raises(CommandError, match="username or --all"):
        call_command("collect")
