from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import tasks
from accounts.models import (
    Credential,
    CredentialKind,
    CredentialStatus,
    DataDeletionRequest,
    Invite,
    Membership,
    Organization,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name", "memberships__user__username"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    """The token itself is never shown: only its last four characters."""

    list_display = ["name", "kind", "organization", "status", "masked_token", "expires_at", "last_checked_at"]
    list_filter = ["status", "kind", "needs_rerequest"]
    search_fields = ["name", "subject_id", "meta_user_id", "organization__name"]
    readonly_fields = [
        "masked_token",
        "kind",
        "meta_user_id",
        "subject_id",
        "scopes",
        "issued_at",
        "expires_at",
        "last_checked_at",
        "last_error",
        "reminders_sent",
        "needs_rerequest",
        "created_at",
        "updated_at",
    ]
    fields = ["organization", "user", "name", "status", *readonly_fields]
    actions = ["check_now", "refresh_now", "subscribe_webhooks", "revoke"]

    @admin.display(description=_("token"))
    def masked_token(self, credential: Credential) -> str:
        return credential.masked_token

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens come from a login, never typed in

    # The actions queue tasks: talking to Meta happens on a worker, not in the admin's request.
    @admin.action(description=_("Check now with Meta"))
    def check_now(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        for credential_id in queryset.values_list("pk", flat=True):
            tasks.check_credential.delay(credential_id)
        self.message_user(request, _("Checks queued; reload to see each status and last error."), messages.INFO)

    @admin.action(description=_("Refresh now (Instagram tokens)"))
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        for credential_id in queryset.filter(kind="ig_user").values_list("pk", flat=True):
            tasks.refresh_credential.delay(credential_id)
        self.message_user(request, _("Refreshes queued for the Instagram tokens selected."), messages.INFO)

    @admin.action(description=_("Subscribe to webhooks again (Instagram accounts and Pages)"))
    def subscribe_webhooks(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        assets = queryset.filter(kind__in=[CredentialKind.INSTAGRAM_USER, CredentialKind.PAGE])
        ids = list(assets.values_list("pk", flat=True))
        for credential_id in ids:
            tasks.subscribe_webhooks.delay(credential_id)
        self.message_user(
            request,
            ngettext(
                "Subscription queued for %(count)d credential; a failure shows as its last error.",
                "Subscriptions queued for %(count)d credentials; a failure shows as their last error.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.INFO,
        )

    @admin.action(description=_("Revoke at Meta and forget the token"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(status=CredentialStatus.REVOKED)
        tasks.revoke_and_forget.delay(ids)
        self.message_user(
            request,
            ngettext("%(count)d credential revoked.", "%(count)d credentials revoked.", len(ids)) % {"count": len(ids)},
        )


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["organization", "role", "created_by", "expires_at", "accepted_by"]
    list_filter = ["role"]
    search_fields = ["organization__name"]
    readonly_fields = ["code", "accepted_by", "accepted_at"]


@admin.register(DataDeletionRequest)
class DataDeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["confirmation_code", "meta_user_id", "status", "created_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["confirmation_code", "meta_user_id"]
    readonly_fields = ["confirmation_code", "meta_user_id", "status", "credentials_deleted", "completed_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
