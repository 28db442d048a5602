from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access
from accounts.models import Membership, Organization
from insights.views import viewer_zone
from releases.forms import ReleaseForm
from releases.models import Release, ReleaseStatus
from releases.tasks import build_release


def _release(request: HttpRequest, organization_id: int, release_pk: int) -> tuple[Membership, Release]:
    """A release of one of the person's organizations, reached through it; another's is a 404."""
    member = access.membership(request.user, organization_id)
    return member, get_object_or_404(member.organization.releases.prefetch_related("profiles"), pk=release_pk)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    organizations = list(Organization.objects.for_user(request.user))
    if len(organizations) == 1:
        return redirect("releases:list", organizations[0].pk)
    return render(request, "releases/home.html", {"organizations": organizations})


@require_http_methods(["GET", "POST"])
@login_required
def release_list(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The organization's releases; analysts and above create one here (viewers: 403 on POST)."""
    member = access.membership(request.user, organization_id)
    organization = member.organization
    form = ReleaseForm(organization) if member.can_act else None
    if request.method == "POST":
        access.require(member, access.MAY_ACT)
        form = ReleaseForm(organization, request.POST)
        if form.is_valid():
            release = form.create(request.user, get_language() or "en")
            transaction.on_commit(lambda: build_release.delay(release.pk))
            return redirect("releases:detail", organization.pk, release.pk)
    releases = organization.releases.prefetch_related("profiles")
    timezone.activate(viewer_zone(request))
    context = {"organization": organization, "membership": member, "form": form, "releases": releases}
    return render(request, "releases/list.html", context)


@require_GET
@login_required
def detail(request: HttpRequest, organization_id: int, release_pk: int) -> HttpResponse:
    member, release = _release(request, organization_id, release_pk)
    timezone.activate(viewer_zone(request))
    return render(request, "releases/detail.html", {"organization": member.organization, "release": release})


@require_GET
@login_required
def progress(request: HttpRequest, organization_id: int, release_pk: int) -> JsonResponse:
    """For the release page's progress bar (static/js/progress.js)."""
    _member, release = _release(request, organization_id, release_pk)
    return JsonResponse(
        {
            "status": release.status,
            "running": release.in_progress,
            "interrupted": release.interrupted,
            "done": release.progress_done,
            "total": release.progress_total,
            "percent": release.percent,
        }
    )


@require_GET
@login_required
def download(request: HttpRequest, organization_id: int, release_pk: int) -> FileResponse:
    """The stored ZIP, as it was built: the same bytes on every download."""
    _member, release = _release(request, organization_id, release_pk)
    if release.status != ReleaseStatus.READY or not release.file:
        raise Http404
    response = FileResponse(
        release.file.open("rb"), as_attachment=True, filename=f"{release.version}.zip", content_type="application/zip"
    )
    response["ETag"] = f'"{release.sha256}"'
    response["Cache-Control"] = "private"
    return response
