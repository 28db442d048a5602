from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import vault
from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH, INSTAGRAM_GRAPH


class Organization(models.Model):
    """A research lab, a store ("dealer" in the Story API) or any team sharing connected accounts."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organizations")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def that_can_act(self) -> MembershipQuerySet:
        return self.exclude(role=Role.VIEWER)


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def can_act(self) -> bool:
        """Moderate comments and publish: everyone but viewers."""
        return self.role != Role.VIEWER


class CredentialKind(models.TextChoices):
    INSTAGRAM_USER = "ig_user", _("Instagram user token")
    FACEBOOK_USER = "fb_user", _("Facebook user token")
    PAGE = "page", _("Facebook Page token")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")
    REVOKED = "revoked", _("Revoked")


class Credential(models.Model):
    """One access token, encrypted at rest. Pass its id to tasks, never the token."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="credentials")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CredentialKind.choices)
    meta_user_id = models.CharField(_("Meta user id"), max_length=64, db_index=True)
    subject_id = models.CharField(
        _("asset id"), max_length=64, help_text=_("The Instagram account, Facebook user or Page this token acts as.")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    token_encrypted = models.TextField(editable=False)
    token_last4 = models.CharField(max_length=4, editable=False)
    scopes = models.JSONField(_("scopes granted"), default=list, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, help_text=_("Empty: never expires."))
    status = models.CharField(
        _("status"), max_length=20, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    last_checked_at = models.DateTimeField(_("last check"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    reminders_sent = models.JSONField(default=list, blank=True, help_text="Days-before-expiry already reminded.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "subject_id"], name="one_credential_per_asset")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name or self.subject_id} (…{self.token_last4})"

    @property
    def token(self) -> str:
        return vault.decrypt(self.token_encrypted)

    @token.setter
    def token(self, plaintext: str) -> None:
        self.token_encrypted = vault.encrypt(plaintext)
        self.token_last4 = plaintext[-4:]

    @property
    def masked_token(self) -> str:
        return f"…{self.token_last4}"

    @property
    def is_usable(self) -> bool:
        return self.status in (CredentialStatus.ACTIVE, CredentialStatus.EXPIRING)

    @property
    def is_instagram_login(self) -> bool:
        return self.kind == CredentialKind.INSTAGRAM_USER

    def graph_client(self, **options: object) -> GraphClient:
        """A client on the host this token belongs to: Instagram Login tokens fail on graph.facebook.com."""
        host = INSTAGRAM_GRAPH if self.is_instagram_login else FACEBOOK_GRAPH
        return GraphClient(self.token, host=host, **options)  # type: ignore[arg-type]

    def expires_in(self) -> timedelta | None:
        return None if self.expires_at is None else self.expires_at - timezone.now()

    def mark_needs_reconnect(self, error: str) -> None:
        self.status = CredentialStatus.NEEDS_RECONNECT
        self.last_error = error
        self.last_checked_at = timezone.now()
        self.save(update_fields=["status", "last_error", "last_checked_at", "updated_at"])
