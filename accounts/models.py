from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import vault
from meta.client import GraphClient
from meta.conf import graph_host


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def for_user(self, user: object) -> OrganizationQuerySet:
        return self.filter(memberships__user=user)

    def managed_by(self, user: object) -> OrganizationQuerySet:
        """Where the person may connect accounts, invite people and change roles."""
        return self.filter(memberships__user=user, memberships__role__in=[Role.OWNER, Role.ADMIN])


# How long what other people wrote is kept, in days (insights.retention enforces it nightly).
# Raw webhook bodies are only needed to replay a delivery; messages and comments feed the inbox and research.
RETENTION_DEFAULTS = {"webhook_body": 30, "message": 365, "comment": 730}
RETENTION_LIMITS = [MinValueValidator(1), MaxValueValidator(3650)]


class Organization(models.Model):
    """A research lab, a store ("dealer" in the Story API) or any team sharing connected accounts."""

    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    webhook_body_retention_days = models.PositiveIntegerField(
        _("keep raw webhook deliveries (days)"), default=RETENTION_DEFAULTS["webhook_body"], validators=RETENTION_LIMITS
    )
    message_retention_days = models.PositiveIntegerField(
        _("keep direct messages (days)"), default=RETENTION_DEFAULTS["message"], validators=RETENTION_LIMITS
    )
    comment_retention_days = models.PositiveIntegerField(
        _("keep comments (days)"), default=RETENTION_DEFAULTS["comment"], validators=RETENTION_LIMITS
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organizations")

    objects = OrganizationQuerySet.as_manager()

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

    @property
    def can_manage(self) -> bool:
        """Connect and disconnect accounts, invite people, change roles: owners and admins."""
        return self.role in (Role.OWNER, Role.ADMIN)

    @property
    def is_last_owner(self) -> bool:
        """The organization's only owner: they may neither leave nor become anything else."""
        others = Membership.objects.filter(organization_id=self.organization_id, role=Role.OWNER).exclude(pk=self.pk)
        return self.role == Role.OWNER and not others.exists()


class CredentialKind(models.TextChoices):
    INSTAGRAM_USER = "ig_user", _("Instagram user token")
    FACEBOOK_USER = "fb_user", _("Facebook user token")
    PAGE = "page", _("Facebook Page token")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")
    REVOKED = "revoked", _("Revoked")


class CredentialQuerySet(models.QuerySet["Credential"]):
    def for_user(self, user: object) -> CredentialQuerySet:
        return self.filter(organization__memberships__user=user)

    def usable(self) -> CredentialQuerySet:
        """Credentials scheduled work may use: a needs_reconnect or revoked token is never called again."""
        return self.filter(status__in=[CredentialStatus.ACTIVE, CredentialStatus.EXPIRING])

    def needing_attention(self) -> CredentialQuerySet:
        return self.filter(Q(status=CredentialStatus.NEEDS_RECONNECT) | Q(status=CredentialStatus.EXPIRING))


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
    needs_rerequest = models.BooleanField(
        _("permissions missing"), default=False, help_text=_("Reconnect must ask again for declined permissions.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CredentialQuerySet.as_manager()

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
    def has_token(self) -> bool:
        return bool(self.token_encrypted)

    @property
    def login(self) -> str:
        """The allauth provider that issued this token, used to reconnect it."""
        return "instagram_business" if self.is_instagram_login else "facebook"

    @property
    def required_scopes(self) -> list[str]:
        return list(settings.META_INSTAGRAM_SCOPES if self.is_instagram_login else settings.META_FACEBOOK_SCOPES)

    @property
    def missing_scopes(self) -> list[str]:
        granted = set(self.scopes or [])
        return [scope for scope in self.required_scopes if scope not in granted] if granted else []

    @property
    def can_refresh(self) -> bool:
        """Only Instagram Login tokens can be refreshed without the person; Facebook ones need a new login."""
        return self.is_instagram_login

    def days_left(self) -> int | None:
        remaining = self.expires_in()
        return None if remaining is None else max(remaining.days, 0)

    def renew(self, plaintext: str, expires_in: int | None, scopes: list[str] | None = None) -> None:
        """Store a token Meta just issued: the clock, reminders and errors start over."""
        now = timezone.now()
        self.token = plaintext
        self.issued_at = now
        self.expires_at = now + timedelta(seconds=expires_in) if expires_in else None
        if scopes:
            self.scopes = sorted(set(scopes))
        self.status = CredentialStatus.ACTIVE
        self.needs_rerequest = bool(self.missing_scopes)
        self.last_error = ""
        self.reminders_sent = []

    def revoke(self) -> None:
        """The grant is gone (disconnected, deauthorized): forget the token, keep the row for the record."""
        self.token_encrypted = ""
        self.status = CredentialStatus.REVOKED
        self.last_checked_at = timezone.now()
        self.save(update_fields=["token_encrypted", "status", "last_checked_at", "updated_at"])

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
        return GraphClient(self.token, host=graph_host(self.is_instagram_login), **options)  # type: ignore[arg-type]

    def expires_in(self) -> timedelta | None:
        return None if self.expires_at is None else self.expires_at - timezone.now()

    def mark_needs_reconnect(self, error: str, *, rerequest: bool = False) -> bool:
        """Flag the token this object holds as dead. Only that token: when the row got a new one since
        this object was loaded (a reconnect, seed_demo after a restart), a job still calling with the
        old one must not undo it. Returns whether the credential was marked."""
        now = timezone.now()
        fields = {
            "status": CredentialStatus.NEEDS_RECONNECT,
            "last_error": error,
            "needs_rerequest": rerequest or self.needs_rerequest,
            "last_checked_at": now,
        }
        marked = Credential.objects.filter(pk=self.pk, token_encrypted=self.token_encrypted).update(
            **fields, updated_at=now
        )
        if marked:
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(marked)


def _invite_code() -> str:
    return secrets.token_urlsafe(24)


def _confirmation_code() -> str:
    return secrets.token_hex(8)


class InviteQuerySet(models.QuerySet["Invite"]):
    def open(self) -> InviteQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invite(models.Model):
    """A link that makes whoever opens it (logged in) a member of the organization with this role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invites")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    code = models.CharField(max_length=64, unique=True, default=_invite_code, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()

    def accept(self, user: object) -> Membership | None:
        """Join (never demote: an existing member keeps the higher of the two roles).

        Single use, whoever races for it: the invite is claimed by one conditional UPDATE, which
        one transaction wins; the others find it taken and get None, with no membership made.
        """
        with transaction.atomic():
            now = timezone.now()
            claimed = Invite.objects.open().filter(pk=self.pk).update(accepted_by=user, accepted_at=now)
            if not claimed:
                return None
            self.accepted_by, self.accepted_at = user, now  # type: ignore[assignment]
            membership, created = Membership.objects.get_or_create(
                organization=self.organization, user=user, defaults={"role": self.role}
            )
            order = [Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.OWNER]
            if not created and order.index(Role(self.role)) > order.index(Role(membership.role)):
                membership.role = self.role
                membership.save(update_fields=["role"])
            return membership


class DeletionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")


class DataDeletionRequest(models.Model):
    """Meta's data-deletion callback: who asked, and whether their data is gone yet."""

    confirmation_code = models.CharField(max_length=32, unique=True, default=_confirmation_code, editable=False)
    meta_user_id = models.CharField(max_length=64, db_index=True)
    # The signed_request's `issued_at`: Meta's request is this pair, so a replay finds its first answer.
    issued_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=DeletionStatus.choices, default=DeletionStatus.PENDING)
    credentials_deleted = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data deletion request")
        verbose_name_plural = _("data deletion requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meta_user_id", "issued_at"], name="one_deletion_per_signed_request")
        ]

    def __str__(self) -> str:
        return self.confirmation_code
