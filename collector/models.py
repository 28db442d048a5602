from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Credential, Organization


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK_PAGE = "facebook_page", _("Facebook Page")


class ProfileQuerySet(models.QuerySet["Profile"]):
    def for_user(self, user: object) -> ProfileQuerySet:
        """Only what the person's organizations connected: the one gate for every page."""
        return self.filter(organization__memberships__user=user)


class Profile(models.Model):
    """An Instagram professional account or a Facebook Page that an organization connected."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="profiles")
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    meta_id = models.CharField(_("Meta id"), max_length=64, db_index=True)
    page_id = models.CharField(_("linked Page id"), max_length=64, blank=True)
    username = models.CharField(_("username"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    picture_url = models.URLField(_("picture"), max_length=1000, blank=True)
    account_type = models.CharField(_("account type"), max_length=32, blank=True)
    followers_count = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    follows_count = models.PositiveIntegerField(_("follows"), null=True, blank=True)
    media_count = models.PositiveIntegerField(_("media"), null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    last_collected_at = models.DateTimeField(_("last collected"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["username", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "platform", "meta_id"], name="one_profile_per_asset")
        ]

    def __str__(self) -> str:
        return f"@{self.username}" if self.username else self.name or self.meta_id
