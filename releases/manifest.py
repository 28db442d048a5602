"""The manifest of a release: what it is, what it covers and how to check it (manifest.json)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min

import classifier
from collector.models import CollectionRun, Media, Profile, ProfileSnapshot
from insights import metrics
from meta.metrics import GRAPH_VERSION
from releases.account_columns import CODED_NAMES
from releases.columns import PSEUDONYM
from releases.models import Release
from releases.tables import TABLES, Scope


def _time(value: Any) -> str | None:
    return value.replace(microsecond=0).isoformat() if value is not None else None


def collection_window(profile: Profile, scope: Scope) -> dict[str, Any]:
    """When and how the profile's data was collected: what a reader needs to judge its coverage."""
    media = Media.objects.filter(profile=profile).aggregate(first=Min("timestamp"), last=Max("timestamp"))
    days = ProfileSnapshot.objects.filter(profile=profile).aggregate(first=Min("date"), last=Max("date"))
    start, end = scope.bounds
    runs = (
        CollectionRun.objects.filter(profile=profile, started_at__gte=start, started_at__lt=end)
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by("outcome")
    )
    return {
        "connected_at": _time(profile.created_at),
        "backfill_started_at": _time(profile.backfill_started_at),
        "backfill_finished_at": _time(profile.backfill_finished_at),
        "last_collected_at": _time(profile.last_collected_at),
        "media_stored_from": _time(media["first"]),
        "media_stored_to": _time(media["last"]),
        "daily_rows_from": days["first"].isoformat() if days["first"] else None,
        "daily_rows_to": days["last"].isoformat() if days["last"] else None,
        "collection_runs_in_period": {row["outcome"]: row["n"] for row in runs},
        "unavailable": dict(sorted((profile.unavailable or {}).items())),
    }


def coding(scope: Scope) -> dict[str, Any]:
    """The classifier that coded the comments: its name and version, and how many released comments
    each version coded (a release may hold rows coded by an older one; empty coded_by: not coded)."""
    by_label: dict[str, int] = {}
    for profile in scope.profiles:
        for row in scope.comments(profile).values("coded_by").annotate(n=Count("id")).order_by("coded_by"):
            label = row["coded_by"] or "not_coded"
            by_label[label] = by_label.get(label, 0) + row["n"]
    return {
        "name": classifier.NAME,
        "version": classifier.VERSION,
        "label": classifier.LABEL,
        "columns": list(CODED_NAMES),
        "comments_by_coded_by": dict(sorted(by_label.items())),
    }


def manifest(release: Release, scope: Scope, files: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything that makes the release citable and checkable; no time but its creation."""
    return {
        "version": release.version,
        "title": release.title,
        "organization": release.organization.name,
        "created_at": _time(release.created_at),
        "graph_api_version": GRAPH_VERSION,
        "period": {
            "start": scope.period.start.isoformat(),
            "end": scope.period.end.isoformat(),
            "time_zone": settings.TIME_ZONE,
            "media": "published from the start of the first day to the end of the last, in time_zone",
        },
        "language": release.language,
        "profiles": [
            {
                "profile_id": profile.meta_id,
                "platform": profile.platform,
                "username": profile.username,
                "collection_window": collection_window(profile, scope),
            }
            for profile in scope.profiles
        ],
        "metric_formulas": [
            {"key": m.key, "name": str(m.name), "formula": str(m.formula), "definition": str(m.definition)}
            for m in metrics.DEFINITIONS
        ],
        "comment_classifier": coding(scope),
        "tables": [{"name": table.name, "description": str(table.description)} for table in TABLES],
        "files": files,
        "pseudonymization": str(PSEUDONYM),
    }
