from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts import access, forget, tasks
from accounts.forms import DisconnectForm, InviteForm, RetentionForm, RoleForm
from accounts.models import (
    Credential,
    CredentialStatus,
    DataDeletionRequest,
    Invite,
    Membership,
    Organization,
    Role,
)
from meta.signing import issued_within, parse_signed_request

INVITE_LIFETIME = timedelta(days=7)
META_ID = re.compile(r"[0-9]{1,64}")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html")


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html")


def data_deletion_instructions(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data_deletion_instructions.html")


# -- connected accounts ---------------------------------------------------------------------------
@login_required
def connected(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    sections = [
        {"membership": membership, "rows": _connected_rows(membership.organization)} for membership in memberships
    ]
    return render(request, "accounts/connected.html", {"sections": sections})


def _connected_rows(organization: Organization) -> list[dict[str, Any]]:
    """One row per connected asset, plus logins that found no asset (a Facebook user with no Page)."""
    # Accounts followed only through the public panel (discovery's TrackedAccount, no credential)
    # were never connected: they are listed on the panel, not here.
    profiles = list(
        organization.profiles.exclude(credential__isnull=True, tracking__isnull=False)
        .select_related("credential")
        .order_by("platform", "username", "name")
    )
    rows: list[dict[str, Any]] = [{"profile": profile, "credential": profile.credential} for profile in profiles]
    used = {profile.credential_id for profile in profiles}
    page_owners = set(organization.credentials.filter(pk__in=used).values_list("meta_user_id", flat=True))
    for credential in organization.credentials.exclude(pk__in=used).exclude(kind="page"):
        if credential.kind == "fb_user" and credential.meta_user_id in page_owners:
            continue  # its Pages are listed
        rows.append({"profile": None, "credential": credential})
    return [row for row in rows if row["credential"] is None or row["credential"].status != CredentialStatus.REVOKED]


def _managed_credential(request: HttpRequest, credential_id: int) -> Credential:
    """Another organization's credential is a 404; a member who may not manage gets a 403."""
    objects = Credential.objects.select_related("organization")
    return access.actionable(objects, request.user, credential_id, may=access.MAY_MANAGE)


@login_required
def disconnect(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = _managed_credential(request, credential_id)
    connection = forget.connection_of(credential)
    profiles = credential.organization.profiles.filter(credential__in=connection)
    form = DisconnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_data = form.cleaned_data["data"] == DisconnectForm.DELETE
        ids = forget.begin_disconnect(credential, delete_data=delete_data)
        transaction.on_commit(lambda: tasks.revoke_and_forget.delay(ids))
        messages.success(
            request,
            _("Disconnected. The collected data was deleted.")
            if delete_data
            else _("Disconnected. The collected data was kept."),
        )
        return redirect("accounts:connected")
    return render(
        request,
        "accounts/disconnect.html",
        {"credential": credential, "connection": connection, "profiles": profiles, "form": form},
    )


# -- organizations, roles, invites ----------------------------------------------------------------
@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    return render(request, "accounts/organizations.html", {"memberships": memberships})


def _membership_in(request: HttpRequest, organization_id: int) -> Membership:
    return access.membership(request.user, organization_id)


@login_required
def organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    membership = _membership_in(request, organization_id)
    org = membership.organization
    context = {
        "membership": membership,
        "organization": org,
        "members": org.memberships.select_related("user").order_by("created_at"),
        "invites": org.invites.open() if membership.can_manage else Invite.objects.none(),
        "invite_form": InviteForm(),
        "retention_form": RetentionForm(instance=org),
        "roles": Role.choices,
    }
    return render(request, "accounts/organization.html", context)


@login_required
@require_POST
def change_retention(request: HttpRequest, organization_id: int) -> HttpResponse:
    membership = _membership_in(request, organization_id)
    access.require(membership, access.MAY_MANAGE)
    form = RetentionForm(request.POST, instance=membership.organization)
    if form.is_valid():
        form.save()
        messages.success(request, _("Retention saved; it applies from tonight's clean-up."))
    else:
        messages.error(request, _("Each period is a number of days between 1 and 3650."))
    return redirect("accounts:organization", organization_id=organization_id)


@login_required
@require_POST
def create_invite(request: HttpRequest, organization_id: int) -> HttpResponse:
    membership = _membership_in(request, organization_id)
    access.require(membership, access.MAY_MANAGE)
    form = InviteForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"]
        if role == Role.OWNER and membership.role != Role.OWNER:
            raise PermissionDenied
        invite = Invite.objects.create(
            organization=membership.organization,
            role=role,
            created_by=request.user,
            expires_at=timezone.now() + INVITE_LIFETIME,
        )
        link = request.build_absolute_uri(reverse("accounts:invite", args=[invite.code]))
        messages.success(request, _("Invite link created; send it to the person: %(link)s") % {"link": link})
    return redirect("accounts:organization", organization_id=organization_id)


@login_required
@require_POST
def change_role(request: HttpRequest, organization_id: int, membership_id: int) -> HttpResponse:
    membership = _membership_in(request, organization_id)
    target = get_object_or_404(membership.organization.memberships, pk=membership_id)
    access.require(membership, access.MAY_MANAGE)
    if Role.OWNER in (target.role, request.POST.get("role")) and membership.role != Role.OWNER:
        raise PermissionDenied
    form = RoleForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:organization", organization_id=organization_id)
    new_role = None if form.cleaned_data["remove"] else form.cleaned_data["role"]
    if target.is_last_owner and new_role != Role.OWNER:
        messages.error(request, _("An organization keeps at least one owner."))
    elif new_role is None:
        target.delete()
        messages.success(request, _("%(user)s was removed.") % {"user": target.user})
    else:
        target.role = new_role
        target.save(update_fields=["role"])
        messages.success(
            request, _("%(user)s is now %(role)s.") % {"user": target.user, "role": target.get_role_display()}
        )
    return redirect("accounts:organization", organization_id=organization_id)


def invite(request: HttpRequest, code: str) -> HttpResponse:
    invitation = get_object_or_404(Invite.objects.select_related("organization"), code=code)
    if request.method == "POST" and request.user.is_authenticated and invitation.is_open:
        if invitation.accept(request.user) is not None:
            messages.success(request, _("You joined %(organization)s.") % {"organization": invitation.organization})
            return redirect("accounts:organization", organization_id=invitation.organization_id)
        invitation.refresh_from_db()  # someone else took it a moment ago: the page says it was used
    return render(request, "accounts/invite.html", {"invite": invitation})


# -- Meta's callbacks -----------------------------------------------------------------------------
# Meta calls these as the person removes the app; an older signed_request is a replay.
SIGNED_REQUEST_MAX_AGE = timedelta(hours=24)


def _signed_payload(request: HttpRequest) -> dict[str, Any] | None:
    """Meta signs with the Meta app secret (Facebook Login) or the Instagram app secret (Instagram Login).

    None unless it is genuine, recent, and names a user by the numeric id Meta uses."""
    secrets = [settings.META_APP_SECRET, settings.INSTAGRAM_APP_SECRET]
    payload = parse_signed_request(request.POST.get("signed_request", ""), secrets)
    if payload is None or not issued_within(payload, SIGNED_REQUEST_MAX_AGE.total_seconds(), time.time()):
        return None
    user_id = payload.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, str | int) or not META_ID.fullmatch(str(user_id)):
        return None
    return {**payload, "user_id": str(user_id)}


@csrf_exempt  # Meta posts here; the signed_request is the proof of origin
@require_POST
def meta_deauthorize(request: HttpRequest) -> HttpResponse:
    payload = _signed_payload(request)
    if payload is None:
        return HttpResponseBadRequest("invalid signed_request")
    revoked = forget.deauthorize(payload["user_id"])
    return JsonResponse({"revoked": revoked})


@csrf_exempt  # Meta posts here; the signed_request is the proof of origin
@require_POST
def meta_data_deletion(request: HttpRequest) -> HttpResponse:
    payload = _signed_payload(request)
    if payload is None:
        return HttpResponseBadRequest("invalid signed_request")
    # The same request again (Meta retrying, or someone replaying it) gets the first answer.
    deletion, created = DataDeletionRequest.objects.get_or_create(
        meta_user_id=payload["user_id"], issued_at=datetime.fromtimestamp(payload["issued_at"], UTC)
    )
    if created:
        transaction.on_commit(lambda: tasks.delete_meta_user_data.delay(deletion.pk))
    status_path = reverse("accounts:data_deletion_status", args=[deletion.confirmation_code])
    return JsonResponse(
        {"url": settings.SITE_URL.rstrip("/") + status_path, "confirmation_code": deletion.confirmation_code}
    )


def data_deletion_status(request: HttpRequest, code: str) -> HttpResponse:
    deletion = get_object_or_404(DataDeletionRequest, confirmation_code=code)
    return render(request, "accounts/data_deletion_status.html", {"deletion": deletion})
