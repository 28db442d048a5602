from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from accounts.models import Organization
from collector import audience
from collector.coded import Flag, Sentiment
from collector.models import Comment, Profile
from discovery.models import is_public, without_public
from insights import (
    audit,
    comparable,
    exports,
    file_formats,
    ledger,
    metrics,
    moderation,
    periods,
    reports,
    research,
)
from insights.models import ActionKind, CommentAction, MediaKind

TIMEZONE_COOKIE = "tz"
# Compare's rows that only connected accounts have ("not public" for a Business Discovery one).
INSIGHT_ROWS = [
    (gettext_lazy("Reach"), "reach"),
    (gettext_lazy("Views"), "views"),
    (gettext_lazy("Interactions"), "interactions"),
    (gettext_lazy("Engagement rate by reach"), "er_reach"),
    (gettext_lazy("Engagement rate by followers"), "er_followers"),
    (gettext_lazy("Account reach"), "account_reach"),
    (gettext_lazy("Accounts engaged"), "accounts_engaged"),
]
AUDIT_PAGE = 500


def viewer_zone(request: HttpRequest) -> ZoneInfo:
    """The browser's time zone (static/js/timezone.js stores it in a cookie), else the site's."""
    name = request.COOKIES.get(TIMEZONE_COOKIE, "")
    try:
        return ZoneInfo(name) if name else ZoneInfo(settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def reading_profile(request: HttpRequest, pk: int) -> Profile:
    """The person's profile, for reading; another organization's is a 404."""
    profile = access.readable(Profile.objects.select_related("credential"), request.user, pk)
    profile.can_act = profile.membership.can_act
    profile.public_data = is_public(profile)
    return profile


def acting_profile(request: HttpRequest, pk: int) -> Profile:
    """The person's profile, for replying, hiding, deleting: a viewer gets the same 404 as an outsider."""
    profile = reading_profile(request, pk)
    access.require(profile.membership, access.MAY_ACT, Http404)
    return profile


def profile_page(
    request: HttpRequest, template: str, profile: Profile, section: str, **context: object
) -> HttpResponse:
    timezone.activate(viewer_zone(request))
    return render(request, template, {"profile": profile, "section": section, **context})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # Public accounts (Business Discovery) are on the panel and in Compare, not among the connected.
    profiles = list(without_public(Profile.objects.for_user(request.user)).select_related("credential").defer("raw"))
    period = periods.last_days(30)
    rows = reports.compare(profiles, period) if profiles else []
    timezone.activate(viewer_zone(request))
    return render(request, "insights/dashboard.html", {"rows": rows, "period": period})


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = reading_profile(request, pk)
    timezone.activate(viewer_zone(request))
    series = reports.follower_series(profile)
    return profile_page(
        request,
        "insights/profile.html",
        profile,
        "profile",
        follower_series=series,
        follower_gaps=ledger.chart_gaps(profile, *ledger.span(series)) if series else [],
        gaps=ledger.listing(profile),
        audience=audience.latest(profile),
        media_collected=profile.media.filter(is_deleted=False).count(),
    )


@login_required
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    profile = reading_profile(request, pk)
    period = periods.from_query(request.GET)
    zone = viewer_zone(request)
    timezone.activate(zone)
    report = reports.engagement(profile, period)
    series_gaps = ledger.chart_gaps(profile, period.start, period.end)
    ledger.blank_unknown_days(report.series, series_gaps, ("reach", "views", "interactions"))
    top, bottom = reports.ranked_posts(profile, period)
    minimum, heat_kind = research.min_posts(request.GET), request.GET.get("heat_kind", "")
    heat = research.analyse([profile], period, zone, minimum, heat_kind, detail=False)
    return profile_page(
        request,
        "insights/engagement.html",
        profile,
        "engagement",
        period=period,
        presets=periods.PRESETS,
        report=report,
        series_gaps=series_gaps,
        top=top,
        bottom=bottom,
        heat=heat,
        heat_rows=heat.heat_rows(),
        # Posts the heatmap read but the daily rows do not count yet: the rebuild a collection
        # queues has not run, and "Nothing in this period" or a count of 0 posts would be untrue.
        counting=max(0, len(heat.posts) - report.totals.posts),
        kinds=MediaKind.choices,
        weekdays={day: WEEKDAYS_ABBR[day - 1] for day in range(1, 8)},
        hours=range(24),
        stories=reports.stories(profile, period),
        definitions={metric.key: metric for metric in metrics.DEFINITIONS},
        zone=zone,
    )


@require_GET
def metrics_help(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/metrics_help.html", {"definitions": metrics.DEFINITIONS})


@login_required
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    profile = reading_profile(request, pk)
    chosen = moderation.CommentFilter.from_query(request.GET)
    return profile_page(
        request,
        "insights/comments.html",
        profile,
        "comments",
        chosen=chosen,
        threads=moderation.threads(profile, chosen),
        posts=moderation.recent_posts(profile),
        reply_max_length=moderation.REPLY_MAX_LENGTH,
        sentiments=Sentiment.choices,
        flags=Flag.choices,
    )


def _comment(profile: Profile, comment_pk: int) -> Comment:
    return get_object_or_404(profile.comments.select_related("profile"), pk=comment_pk)


@login_required
@require_POST
def comment_action(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    profile = acting_profile(request, pk)
    comment = _comment(profile, comment_pk)
    kind = request.POST.get("kind", "")
    text = (request.POST.get("text") or "").strip()
    if kind not in (ActionKind.REPLY, ActionKind.HIDE, ActionKind.UNHIDE):
        messages.error(request, _("Unknown action."))
    elif kind == ActionKind.REPLY and not 0 < len(text) <= moderation.REPLY_MAX_LENGTH:
        limit = moderation.REPLY_MAX_LENGTH
        messages.error(request, _("Write a reply of up to %(limit)s characters.") % {"limit": limit})
    else:
        moderation.request_action(comment, kind, request.user, text)
        messages.success(request, _("Sent to Instagram. The comment shows its state until Meta answers."))
    return redirect(_back_to_comments(request, profile))


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    profile = acting_profile(request, pk)
    comment = _comment(profile, comment_pk)
    if request.method == "POST":
        moderation.request_action(comment, ActionKind.DELETE, request.user)
        messages.success(request, _("Deletion sent to Instagram."))
        return redirect(_back_to_comments(request, profile))
    return profile_page(
        request, "insights/comment_delete.html", profile, "comments", comment=comment, back=request.GET.get("back", "")
    )


def _back_to_comments(request: HttpRequest, profile: Profile) -> str:
    """The filtered list the person acted from; only a query string is taken from the form."""
    back = request.POST.get("back", "")
    url = profile_url("comments", profile)
    return f"{url}?{back}" if back and "//" not in back and not back.startswith("/") else url


@login_required
@require_GET
def comment_action_states(request: HttpRequest, pk: int) -> JsonResponse:
    """The states of the given actions, polled by static/js/comments.js while any is pending."""
    profile = reading_profile(request, pk)
    ids = [int(value) for value in request.GET.get("ids", "").split(",") if value.isdigit()][:100]
    actions = CommentAction.objects.filter(pk__in=ids, comment__profile=profile).only("id", "status", "error")
    return JsonResponse(
        {
            "actions": [
                {"id": action.pk, "status": action.status, "label": action.get_status_display()} for action in actions
            ]
        }
    )


@login_required
def audit_trail(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The organization's comment and message actions, for its owners and admins only."""
    organization = get_object_or_404(Organization.objects.managed_by(request.user), pk=organization_id)
    timezone.activate(viewer_zone(request))
    entries = audit.trail(organization)[:AUDIT_PAGE]
    return render(request, "insights/audit.html", {"organization": organization, "entries": entries})


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    available = list(Profile.objects.for_user(request.user).defer("raw"))
    chosen_ids = {int(value) for value in request.GET.getlist("profiles") if value.isdigit()}
    chosen = [profile for profile in available if profile.pk in chosen_ids] or available[:4]
    period = periods.from_query(request.GET)
    timezone.activate(viewer_zone(request))
    return render(
        request,
        "insights/compare.html",
        {
            "available": available,
            "chosen": chosen,
            "chosen_ids": {profile.pk for profile in chosen},
            "period": period,
            "presets": periods.PRESETS,
            "rows": _compared(chosen, period),
            "insight_rows": INSIGHT_ROWS,
        },
    )


def _compared(profiles: list[Profile], period: periods.Period) -> list[reports.CompareRow]:
    rows = reports.compare(profiles, period) if profiles else []
    comparable.annotate(rows, period)
    return rows


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    profile = reading_profile(request, pk)
    period = periods.from_query(request.GET)
    dataset, file_format = request.GET.get("dataset", ""), request.GET.get("format", "")
    if dataset in exports.DATASETS and file_format in file_formats.CONTENT_TYPES:
        chunks, content_type, filename = exports.export(profile, dataset, file_format, period)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return profile_page(
        request,
        "insights/export.html",
        profile,
        "export",
        period=period,
        presets=periods.PRESETS,
        datasets=exports.DATASET_CHOICES,
        formats=exports.FORMAT_CHOICES,
        id_columns={name: exports.id_columns(name) for name in exports.DATASETS},
    )


def profile_url(name: str, profile: Profile) -> str:
    return reverse(name, kwargs={"pk": profile.pk})
