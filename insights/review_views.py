"""The App Review pages: the kit, data handling, the reviewer's instructions and review mode."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import Organization
from insights import data_handling, review


@require_GET
def review_kit(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/review.html", {"permissions": review.permissions(), "dropped": review.dropped()})


@require_GET
def review_data_handling(request: HttpRequest) -> HttpResponse:
    """Public like /review/; signed in, the retention shown is that of the person's own organisations."""
    organizations = list(Organization.objects.for_user(request.user)) if request.user.is_authenticated else []
    context = {
        "storage": data_handling.storage(),
        "key_count": data_handling.token_key_count(),
        "retention": data_handling.retention_for(organizations),
        "retention_schedule": data_handling.retention_schedule(),
        "hosting": data_handling.hosting(),
        "sandbox": data_handling.uses_meta_sandbox(),
        "deletion_url": settings.SITE_URL.rstrip("/") + reverse("accounts:meta_data_deletion"),
        "deauthorize_url": settings.SITE_URL.rstrip("/") + reverse("accounts:meta_deauthorize"),
    }
    return render(request, "insights/review_data_handling.html", context)


@require_GET
def review_record(request: HttpRequest, scope: str) -> HttpResponse:
    """Review mode for `make review-videos`: every page of this session shows the caption bar naming
    `scope` (templates/base.html). Only the permissions /review/ lists; the session ends it."""
    if scope not in {permission.scope for permission in review.permissions()}:
        raise Http404
    request.session["review_scope"] = scope
    return redirect("home")


@require_GET
def review_instructions(request: HttpRequest) -> HttpResponse:
    context = {
        "test_account": settings.REVIEW_TEST_ACCOUNT,
        "sandbox": data_handling.uses_meta_sandbox(),
        "permissions": review.permissions(),
    }
    return render(request, "insights/review_instructions.html", context)
