"""The story vault: every story an account posts, kept past Meta's 24 hours with its file and the
provenance of each value (the values themselves are collector's MediaInsight rows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from collector.models import Media, Profile

MB = 1024 * 1024


def default_quota_mb() -> int:
    return int(settings.STORY_VAULT_QUOTA_MB)


class StorageQuota(models.Model):
    """How much story media an organisation may keep. At the quota new stories are still kept, with
    every value, but without their file, and marked so on the page and in the exports."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="story_quota")
    quota_mb = models.PositiveIntegerField(
        _("story storage quota (MB)"),
        default=default_quota_mb,
        help_text=_(
            "Story photos and videos this organisation may keep. When it is full, new stories are kept "
            "with their insights but without their file, marked 'storage full'; nothing is deleted."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("story storage quota")
        verbose_name_plural = _("story storage quotas")

    def __str__(self) -> str:
        return f"{self.organization}: {self.quota_mb} MB"

    @classmethod
    def of(cls, organization_id: int) -> StorageQuota:
        return cls.objects.get_or_create(organization_id=organization_id)[0]

    @property
    def quota_bytes(self) -> int:
        return self.quota_mb * MB

    def used_bytes(self) -> int:
        kept = StoryKeep.objects.filter(profile__organization_id=self.organization_id)
        return int(kept.aggregate(total=Sum("file_bytes"))["total"] or 0)


class FileState(models.TextChoices):
    PENDING = "pending", _("waiting for download")
    STORED = "stored", _("stored")
    OVER_QUOTA = "over_quota", _("not stored: the organisation's story storage is full")
    URL_EXPIRED = "url_expired", _("not stored: Meta's media URL had expired")
    NO_MEDIA = "no_media", _("not stored: Meta gave no media URL")
    FAILED = "failed", _("not stored: the download failed")


class MissedReason(models.TextChoices):
    CONNECTED_LATER = "connected_later", _("the account was connected after the story ended")
    WORKER_DOWN = "worker_down", _("no story read ran while it lived (workers down)")
    TOKEN_EXPIRED = "token_expired", _("the account's token had stopped working")
    NOT_LISTED = "not_listed", _("Meta did not list it when we read (deleted or archived early)")


class StoryKeep(models.Model):
    """One story of a profile in the vault: seen live (with its file, if stored) or missed."""

    media = models.OneToOneField(Media, on_delete=models.CASCADE, related_name="vault")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="story_vault")
    posted_at = models.DateTimeField(_("posted at"))
    expires_at = models.DateTimeField(_("expires at"))
    file = models.FileField(_("file"), upload_to="stories/", max_length=300, blank=True)
    file_bytes = models.PositiveBigIntegerField(_("file size"), default=0)
    content_type = models.CharField(max_length=100, blank=True)
    file_state = models.CharField(_("file"), max_length=16, choices=FileState.choices, default=FileState.PENDING)
    file_note = models.CharField(_("file note"), max_length=300, blank=True)
    file_tries = models.PositiveSmallIntegerField(default=0)
    missed = models.BooleanField(_("missed"), default=False)
    missed_reason = models.CharField(_("why missed"), max_length=20, choices=MissedReason.choices, blank=True)
    missed_detail = models.CharField(_("missed detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kept story")
        verbose_name_plural = _("kept stories")
        ordering = ["-posted_at"]
        indexes = [
            models.Index(fields=["profile", "-posted_at"], name="vault_profile_posted"),
            models.Index(fields=["file_state", "expires_at"], name="vault_file_due"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} story {self.media.meta_id}"
