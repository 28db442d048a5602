from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.models import Membership
from collector.models import Profile
from discovery import about_us, panel
from discovery.models import is_public


@login_required
def my_panel(request: HttpRequest) -> HttpResponse:
    membership = Membership.objects.filter(user=request.user).order_by("pk").first()
    if membership is None:
        raise Http404
    return redirect("discovery:panel", organization_id=membership.organization_id)


@login_required
def panel_page(request: HttpRequest, organization_id: int) -> HttpResponse:
    member = access.membership(request.user, organization_id)
    organization = member.organization
    if request.method == "POST":
        access.require(member, access.MAY_ACT)
        result = panel.add(organization, request.POST.get("usernames", ""), request.user)
        if result.added:
            count = len(result.added)
            messages.success(
                request,
                ngettext("%(count)s account added to the panel.", "%(count)s accounts added to the panel.", count)
                % {"count": count},
            )
        if result.invalid or not result.added:
            messages.error(
                request, _("Not an Instagram username: %(names)s") % {"names": ", ".join(result.invalid) or "—"}
            )
        return redirect("discovery:panel", organization_id=organization.pk)
    context = panel.context(organization)
    return render(request, "discovery/panel.html", {**context, "can_act": member.can_act})


@login_required
@require_POST
def panel_remove(request: HttpRequest, organization_id: int, tracked_id: int) -> HttpResponse:
    member = access.membership(request.user, organization_id)
    access.require(member, access.MAY_ACT)
    tracked = get_object_or_404(member.organization.tracked_accounts.active(), pk=tracked_id)
    panel.remove(tracked)
    messages.success(
        request, _("@%(username)s removed from the panel; its history is kept.") % {"username": tracked.username}
    )
    return redirect("discovery:panel", organization_id=organization_id)


def _profile(request: HttpRequest, pk: int) -> Profile:
    profile = access.readable(Profile.objects.select_related("credential"), request.user, pk)
    profile.public_data = is_public(profile)  # type: ignore[attr-defined]
    return profile


@login_required
def about_us_page(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(request, pk)
    return render(
        request,
        "discovery/about_us.html",
        {"profile": profile, "section": "about_us", "items": about_us.items(profile, limit=200),
         "export_url": reverse("discovery:about_us_export", args=[profile.pk])},
    )  # fmt: skip


@login_required
@require_GET
def about_us_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    profile = _profile(request, pk)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in about_us.export_rows(profile):
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="what-others-post-{profile.username or profile.pk}.csv"'
    return response
