"""The research pages: the analysis across the person's profiles, and the post lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.views.decorators.http import require_GET

from collector.models import Profile
from insights import metrics, periods, posts, research
from insights.models import MediaKind
from insights.views import reading_profile, viewer_zone

WEEKDAYS = {day: WEEKDAYS_ABBR[day - 1] for day in range(1, 8)}


def _chosen(request: HttpRequest) -> tuple[list[Profile], list[Profile]]:
    available = list(Profile.objects.for_user(request.user).defer("raw", "unavailable", "insights_refreshed"))
    ids = {int(value) for value in request.GET.getlist("profiles") if value.isdigit()}
    return available, [profile for profile in available if profile.pk in ids] or available


@login_required
@require_GET
def analysis(request: HttpRequest) -> HttpResponse:
    available, chosen = _chosen(request)
    period = periods.from_query(request.GET)
    zone = viewer_zone(request)
    table, file_format = request.GET.get("table", ""), request.GET.get("format", "")
    minimum, heat_kind = research.min_posts(request.GET), request.GET.get("heat_kind", "")
    result = research.analyse(chosen, period, zone, minimum, heat_kind, detail=table == "posts")
    if table in research.TABLES and file_format in research.FORMATS:
        body = research.download(result.table(table), file_format, table)
        response = HttpResponse(body, content_type=research.FORMATS[file_format])
        name = f"analysis-{table}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    timezone.activate(zone)
    query = request.GET.copy()
    for key in ("table", "format"):
        query.pop(key, None)
    return render(
        request,
        "insights/analysis.html",
        {
            "available": available,
            "chosen_ids": {profile.pk for profile in chosen},
            "period": period,
            "presets": periods.PRESETS,
            "result": result,
            "types": result.type_rows(),
            "heat": result.heat_rows(),
            "notes": result.follower_notes(),
            "kinds": MediaKind.choices,
            "weekdays": WEEKDAYS,
            "hours": range(24),
            "zone": zone,
            "query": query.urlencode(),
            "tables": research.TABLES,
            "formats": research.FORMATS,
            "definitions": {metric.key: metric for metric in metrics.DEFINITIONS},
        },
    )


def _post_list(request: HttpRequest, profiles: list[Profile], context: dict[str, object]) -> HttpResponse:
    chosen = posts.PostFilter.from_query(request.GET)
    zone = viewer_zone(request)
    timezone.activate(zone)
    page = posts.listing(profiles, chosen, zone) if profiles else None
    return render(
        request,
        "insights/posts.html",
        {
            **context,
            "chosen": chosen,
            "page": page,
            "hashtags": posts.hashtag_table(profiles, chosen) if profiles else [],
            "sorts": posts.SORTS,
            "kinds": MediaKind.choices,
            "period": chosen.period,
            "presets": periods.PRESETS,
            "sort_links": {
                key: chosen.query(sort=key, order="asc" if chosen.sort == key and chosen.descending else "desc")
                for key in posts.SORTS
            },
            "previous_query": chosen.query(page=page.previous_page_number()) if page and page.has_previous() else "",
            "next_query": chosen.query(page=page.next_page_number()) if page and page.has_next() else "",
        },
    )


@login_required
@require_GET
def all_posts(request: HttpRequest) -> HttpResponse:
    profiles = list(Profile.objects.for_user(request.user).defer("raw", "unavailable", "insights_refreshed"))
    return _post_list(request, profiles, {"across": True})


@login_required
@require_GET
def profile_posts(request: HttpRequest, pk: int) -> HttpResponse:
    profile = reading_profile(request, pk)
    return _post_list(request, [profile], {"profile": profile, "section": "posts", "across": False})
