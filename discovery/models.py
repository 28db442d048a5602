"""A panel of public accounts per organization, and the media others tag our accounts in.

A tracked account's facts live where a connected account's do: a Profile without a credential,
its ProfileSnapshot rows and its Media (likes and comments, never insights). So when the account
later connects, the connect receiver finds the same Profile (one per organization and Meta id)
and its history goes on; removing it from the panel stops the visits and keeps what was stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from collector.models import Profile


class TrackedStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the first visit")
    OK = "ok", _("Collected")
    NOT_FOUND = "not_found", _("Not found")
    GONE = "gone", _("No longer found")
    NO_CALLER = "no_caller", _("Needs an account connected with Facebook")
    PAUSED = "paused", _("Paused by rate limit")
    ERROR = "error", _("Error")
    CONNECTED = "connected", _("Connected")


class TrackedAccountQuerySet(models.QuerySet["TrackedAccount"]):
    def active(self) -> TrackedAccountQuerySet:
        return self.filter(removed_at__isnull=True)


class TrackedAccount(models.Model):
    """A username an organization follows through Business Discovery."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tracked_accounts")
    username = models.CharField(_("username"), max_length=30)
    profile = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracking",
        help_text=_("Where its history is kept (the same row if the account connects)."),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=16, choices=TrackedStatus.choices, default=TrackedStatus.PENDING)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(_("Meta error code"), max_length=32, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    visited_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    found_at = models.DateTimeField(_("last found"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    graph_calls = models.PositiveIntegerField(_("Graph calls of the last visit"), default=0)

    objects = TrackedAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracked account")
        verbose_name_plural = _("tracked accounts")
        ordering = ["username"]
        constraints = [models.UniqueConstraint(fields=["organization", "username"], name="one_tracking_per_username")]

    def __str__(self) -> str:
        return f"@{self.username}"


def public_profiles(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """The profiles known only from Business Discovery: tracked, with no credential."""
    return profiles.filter(credential__isnull=True).filter(
        Exists(TrackedAccount.objects.filter(profile=OuterRef("pk")))
    )


def is_public(profile: Profile) -> bool:
    return profile.credential_id is None and TrackedAccount.objects.filter(profile=profile).exists()


def without_public(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    return profiles.exclude(pk__in=public_profiles(Profile.objects.all()).values("pk"))


class TaggedMedia(models.Model):
    """Someone else's post in which the account was tagged (`/{ig-user-id}/tags`)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="tagged_media")
    meta_id = models.CharField(_("Meta id"), max_length=64)
    username = models.CharField(_("posted by"), max_length=200, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    media_type = models.CharField(_("media type"), max_length=20, blank=True)
    media_product_type = models.CharField(_("product type"), max_length=20, blank=True)
    permalink = models.URLField(_("permalink"), max_length=1000, blank=True)
    timestamp = models.DateTimeField(_("posted at"))
    like_count = models.PositiveIntegerField(_("likes"), null=True, blank=True)
    comments_count = models.PositiveIntegerField(_("comments"), null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("tagged media")
        verbose_name_plural = _("tagged media")
        ordering = ["-timestamp"]
        constraints = [models.UniqueConstraint(fields=["profile", "meta_id"], name="one_tag_per_profile_media")]

    def __str__(self) -> str:
        return f"@{self.username} {self.meta_id}"
