"""The "API access" page: an organisation's owners and admins get what the Story API needs.

Credentials (API clients, the secret shown once), the dealer_id, the page_id of each connected
Page and Instagram account, callback attempts, and a curl for each endpoint with those values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Membership, Organization
from collector.models import Platform, Profile
from publishing.forms import ApiClientForm
from publishing.models import ApiClient, CallbackAttempt

RECENT_ATTEMPTS = 20
NEW_SECRET_KEY = "publishing:new-api-secret"
GUIDE = Path(settings.BASE_DIR) / "docs" / "story-api.md"


def _managed(request: HttpRequest, organization_id: int) -> Organization:
    membership = Membership.objects.filter(user=request.user, organization_id=organization_id).first()
    if membership is None or not membership.can_manage:
        raise PermissionDenied
    return membership.organization


def story_targets(organization: Organization) -> list[dict[str, str]]:
    """Each connected account with the page_id the Story API wants (an Instagram account's is its Page's)."""
    targets = []
    for profile in Profile.objects.filter(organization=organization).order_by("platform", "name", "username"):
        page_id = profile.meta_id if profile.platform == Platform.FACEBOOK_PAGE else profile.page_id
        channel = "facebook" if profile.platform == Platform.FACEBOOK_PAGE else "instagram"
        if page_id:
            targets.append({"name": profile.name or profile.username, "channel": channel, "page_id": page_id})
    return targets


def curl_examples(base: str, dealer_id: int, page_id: str, client_id: str) -> list[tuple[str, str]]:
    """(title, command) for every endpoint; the secret and tokens stay shell variables."""
    story = f"{base}social-media/facebook/story/{dealer_id}"
    auth = f'-H "Authorization: Bearer $ACCESS" -H "X-Client-ID: {client_id}" -H "X-Client-Secret: $CLIENT_SECRET"'
    # The file goes in a body file: a 10 MB photo in base64 is too long for one shell argument.
    body = (
        f'(printf \'{{"asset_type": 1, "page_id": "{page_id}", "asset_base64": "\'; '
        "base64 -w0 story.jpg; printf '\"}') > story.json"
    )
    send = "-H 'Content-Type: application/json' --data-binary @story.json"
    return [
        (
            _("Get a token (access and refresh)"),
            f"curl -s {base}api/token/ -H 'Content-Type: application/json' "
            '-d \'{"username": "YOUR_USER", "password": "YOUR_PASSWORD"}\'',
        ),
        (
            _("Refresh the access token"),
            f"curl -s {base}api/token/refresh/ -H 'Content-Type: application/json' "
            '-d \'{"refresh": "\'"$REFRESH"\'"}\'',
        ),
        (_("List the stories"), f"curl -s {story} {auth}"),
        (_("Put a photo in a request body"), body),
        (_("Queue a photo story"), f"curl -s -X POST {story} {auth} {send} -H 'Idempotency-Key: order-1234-story'"),
        (_("Read one story"), f"curl -s {story}/STORY_ID {auth}"),
        (_("Replace its file and publish again (PUT)"), f"curl -s -X PUT {story}/STORY_ID {auth} {send}"),
        (
            _("Change some fields (PATCH)"),
            f"curl -s -X PATCH {story}/STORY_ID {auth} -H 'Content-Type: application/json' -d '{{\"status\": 1}}'",
        ),
        (_("Delete it"), f"curl -s -X DELETE {story}/STORY_ID {auth}"),
        (_("Read its results"), f"curl -s {story}/STORY_ID/insights {auth}"),
    ]


def _render(request: HttpRequest, organization: Organization, **extra: Any) -> HttpResponse:
    clients = list(ApiClient.objects.filter(organization=organization).order_by("-is_active", "name"))
    targets = story_targets(organization)
    active = next((c for c in clients if c.is_active), None)
    context = {
        "organization": organization,
        "clients": clients,
        "targets": targets,
        "form": extra.pop("form", ApiClientForm()),
        "attempts": CallbackAttempt.objects.filter(api_client__organization=organization).select_related("api_client")[
            :RECENT_ATTEMPTS
        ],
        "curls": curl_examples(
            request.build_absolute_uri("/"),
            organization.pk,
            targets[0]["page_id"] if targets else "PAGE_ID",
            active.client_id if active else "CLIENT_ID",
        ),
        **extra,
    }
    return render(request, "publishing/api_access.html", context)


@login_required
def api_access_home(request: HttpRequest) -> HttpResponse:
    """The nav's link: the first organisation the person manages."""
    organization = Organization.objects.managed_by(request.user).order_by("name").first()
    if organization is None:
        raise PermissionDenied
    return redirect("publishing:api-access", organization_id=organization.pk)


def story_api_guide(request: HttpRequest) -> HttpResponse:
    """docs/story-api.md, as the text it is, for the links on the API pages."""
    return HttpResponse(GUIDE.read_text(encoding="utf-8"), content_type="text/markdown; charset=utf-8")


@login_required
def api_access(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = _managed(request, organization_id)
    if request.method != "POST":
        return _render(request, organization, new_secret=_take_secret(request))
    form = ApiClientForm(request.POST)
    if not form.is_valid():
        return _render(request, organization, form=form)
    client = form.save(commit=False)
    client.organization = organization
    return _show_secret_once(request, organization, client)


def _show_secret_once(request: HttpRequest, organization: Organization, client: ApiClient) -> HttpResponse:
    """Post/redirect/get, so a reload cannot make another client: the secret waits in the
    server-side session for the one GET that follows, which removes it."""
    secret = client.set_new_secret()
    client.save()
    request.session[NEW_SECRET_KEY] = {"client_pk": client.pk, "secret": secret}
    return redirect("publishing:api-access", organization_id=organization.pk)


def _take_secret(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.pop(NEW_SECRET_KEY, None)
    if pending is None:
        return None
    client = ApiClient.objects.filter(pk=pending["client_pk"]).first()
    return {"client": client, "secret": pending["secret"]} if client else None


@login_required
@require_POST
def rotate_client(request: HttpRequest, organization_id: int, client_pk: int) -> HttpResponse:
    organization = _managed(request, organization_id)
    client = get_object_or_404(ApiClient, pk=client_pk, organization=organization, is_active=True)
    return _show_secret_once(request, organization, client)


@login_required
@require_POST
def update_client(request: HttpRequest, organization_id: int, client_pk: int) -> HttpResponse:
    organization = _managed(request, organization_id)
    client = get_object_or_404(ApiClient, pk=client_pk, organization=organization)
    if request.POST.get("revoke"):
        client.is_active = False
        client.save(update_fields=["is_active"])
        messages.success(request, _("Client %(name)s revoked: its secret no longer works.") % {"name": client.name})
        return redirect("publishing:api-access", organization_id=organization.pk)
    form = ApiClientForm(request.POST, instance=client)
    if form.is_valid():
        form.save()
        messages.success(request, _("Client %(name)s saved.") % {"name": client.name})
        return redirect("publishing:api-access", organization_id=organization.pk)
    return _render(request, organization, form=form)
