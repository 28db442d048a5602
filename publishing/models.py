from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import vault
from accounts.models import Credential, CredentialKind, Organization


class ApiClient(models.Model):
    """An application allowed to call the Story API (the contract's X-Client-ID / X-Client-Secret).

    The secret is a 256-bit random value, so one salted SHA-256 is enough to store it: a slow
    password hasher would add ~0.3 s to every API request without making a random secret safer.
    """

    name = models.CharField(_("name"), max_length=200)
    # Empty for clients a superuser made in the admin: those may act for any dealer.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="api_clients"
    )
    client_id = models.CharField(_("client id"), max_length=64, unique=True, editable=False)
    secret_hash = models.CharField(max_length=128, editable=False)
    # Callbacks are signed with the plain secret, so it is also kept encrypted (like Page tokens).
    secret_encrypted = models.TextField(editable=False, blank=True)
    callback_url = models.URLField(
        _("callback URL"),
        max_length=500,
        blank=True,
        help_text=_("Receives a signed POST when a story is published or fails."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def set_new_secret(self) -> str:
        """Store a fresh secret's hash and return the plain secret: the only time it is seen."""
        if not self.client_id:
            self.client_id = secrets.token_hex(16)
        plain = secrets.token_urlsafe(32)
        salt = secrets.token_hex(8)
        self.secret_hash = f"sha256${salt}${_digest(salt, plain)}"
        self.secret_encrypted = vault.encrypt(plain)
        return plain

    def sign(self, body: bytes) -> str | None:
        """`sha256=<hex>` of the body keyed by the plain secret; None for a client made before callbacks."""
        if not self.secret_encrypted:
            return None
        return "sha256=" + hmac.new(vault.decrypt(self.secret_encrypted).encode(), body, hashlib.sha256).hexdigest()

    def check_secret(self, plain: str) -> bool:
        try:
            _algorithm, salt, digest = self.secret_hash.split("$", 2)
        except ValueError:
            return False
        return hmac.compare_digest(digest, _digest(salt, plain))

    @classmethod
    def authenticate(cls, client_id: str, plain_secret: str) -> ApiClient | None:
        client = cls.objects.filter(client_id=client_id, is_active=True).first()
        if client is None or not client.check_secret(plain_secret):
            return None
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=client.pk).update(last_used_at=now)
        return client


def _digest(salt: str, plain: str) -> str:
    return hashlib.sha256(f"{salt}:{plain}".encode()).hexdigest()


class Channel(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook Page")
    INSTAGRAM = "instagram", _("Instagram")


class AssetType(models.IntegerChoices):
    # Labels are the contract's own words (asset_type_display), not translated.
    IMAGE = 1, "Imagem"
    VIDEO = 2, "Vídeo"


class StoryStatus(models.IntegerChoices):
    QUEUED = 1, "Na Fila"
    PUBLISHED = 2, "Publicado"
    ERROR = 3, "Erro"


def story_upload_to(story: Story, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{story.channel}_story/{uuid.uuid4().hex}.{extension}"


# A run that crashed without releasing its claim gives the story back after this long.
CLAIM_LEASE = timedelta(minutes=10)


class StoryQuerySet(models.QuerySet["Story"]):
    def claim(self, pk: int) -> Story | None:
        """Take the story for one publishing run, or None if it is not queued or another run holds it.

        A conditional UPDATE is the lock: two runs of the same task cannot both match it.
        """
        now = timezone.now()
        claimed = self.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE),
            pk=pk,
            status=StoryStatus.QUEUED,
        ).update(claimed_at=now)
        return self.filter(pk=pk).first() if claimed else None


class Story(models.Model):
    """A story a dealer queued through the Story API, and how far its publishing got.

    `asset_id` (Meta's photo, video or container id), `publish_requested_at` and
    `facebook_post_id` record each completed step so that a second run resumes instead of
    publishing again.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="stories")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.FACEBOOK)
    ad_id = models.BigIntegerField(_("ad id"), null=True, blank=True)
    asset = models.FileField(_("asset"), upload_to=story_upload_to, max_length=255, blank=True)
    asset_type = models.PositiveSmallIntegerField(_("asset type"), choices=AssetType.choices)
    asset_id = models.CharField(_("Meta asset id"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    page_id = models.CharField(_("Page id"), max_length=64)
    api_client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories", editable=False
    )
    idempotency_key = models.CharField(_("Idempotency-Key"), max_length=255, blank=True, editable=False)
    status = models.PositiveSmallIntegerField(_("status"), choices=StoryStatus.choices, default=StoryStatus.QUEUED)
    facebook_publish_status = models.PositiveSmallIntegerField(
        _("Meta publish status"), choices=StoryStatus.choices, default=StoryStatus.QUEUED
    )
    # The contract answers null, not "", for these until publishing fills them.
    error = models.TextField(_("error"), null=True, blank=True)  # noqa: DJ001
    facebook_post_id = models.CharField(_("Meta post id"), max_length=64, null=True, blank=True)  # noqa: DJ001
    story_url = models.URLField(_("story URL"), max_length=500, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    publish_requested_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set just before the final publish call."
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "channel", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_story_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} story #{self.pk} ({self.get_status_display()})"

    def asset_url(self, base_url: str) -> str | None:
        """Absolute URL of the asset: storages with their own host (S3) answer absolute already."""
        if not self.asset:
            return None
        url = self.asset.url
        return url if url.startswith(("http://", "https://")) else f"{base_url.rstrip('/')}{url}"

    def page_credential(self) -> Credential | None:
        return Credential.objects.filter(
            organization_id=self.organization_id, kind=CredentialKind.PAGE, subject_id=self.page_id
        ).first()

    def reset_progress(self) -> None:
        """Forget Meta ids of an unpublished attempt (the asset changed, or a fresh try)."""
        if not self.facebook_post_id:
            self.asset_id = ""
            self.publish_requested_at = None

    def save_progress(self, **fields: object) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        Story.objects.filter(pk=self.pk).update(**fields)

    def mark_published(self, post_id: str | None, url: str | None) -> None:
        self.save_progress(
            facebook_post_id=post_id,
            story_url=url,
            published_at=self.published_at or timezone.now(),
            status=StoryStatus.PUBLISHED,
            facebook_publish_status=StoryStatus.PUBLISHED,
            error=None,
            claimed_at=None,
        )

    def mark_failed(self, error: str) -> None:
        self.save_progress(
            status=StoryStatus.ERROR, facebook_publish_status=StoryStatus.ERROR, error=error, claimed_at=None
        )

    def archive_publication(self) -> list[str]:
        """Move the current publication to the history and forget its Meta ids, so the story is
        published anew (once) instead of being marked published again under the old post id.
        Returns the fields changed, for save(update_fields=…)."""
        if self.facebook_post_id:
            self.publications.create(
                asset=self.asset.name,
                asset_type=self.asset_type,
                asset_id=self.asset_id,
                facebook_post_id=self.facebook_post_id,
                story_url=self.story_url,
                published_at=self.published_at,
            )
        self.facebook_post_id = self.story_url = self.published_at = self.publish_requested_at = None
        self.asset_id = ""
        return ["asset_id", "facebook_post_id", "story_url", "published_at", "publish_requested_at"]

    def release(self) -> None:
        self.save_progress(claimed_at=None)

    def back_to_queued(self) -> None:
        """Queued again after an error or a stuck run; publishing.queueing.requeue sends it to the queue."""
        self.reset_progress()
        self.save_progress(
            status=StoryStatus.QUEUED,
            facebook_publish_status=StoryStatus.QUEUED,
            error=None,
            asset_id=self.asset_id,
            publish_requested_at=self.publish_requested_at,
            claimed_at=None,
        )


class StoryPublication(models.Model):
    """A publication a later PUT/PATCH replaced: Meta still shows it (until it expires), we keep its ids."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="publications")
    asset = models.CharField(_("asset"), max_length=255, blank=True)
    asset_type = models.PositiveSmallIntegerField(_("asset type"), choices=AssetType.choices)
    asset_id = models.CharField(_("Meta asset id"), max_length=64, blank=True)
    facebook_post_id = models.CharField(_("Meta post id"), max_length=64)
    story_url = models.URLField(_("story URL"), max_length=500, null=True, blank=True)  # noqa: DJ001
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier publication")
        verbose_name_plural = _("earlier publications")
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.facebook_post_id} (story #{self.story_id})"


class StoryInsight(models.Model):
    """The latest value Meta reported for one metric of a published story, and where it came from."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="insights")
    facebook_post_id = models.CharField(max_length=64)
    metric = models.CharField(_("metric"), max_length=64)
    value = models.BigIntegerField(_("value"), null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300)
    collected_at = models.DateTimeField(_("collected"), default=timezone.now)

    class Meta:
        verbose_name = _("story insight")
        verbose_name_plural = _("story insights")
        ordering = ["metric"]
        constraints = [
            models.UniqueConstraint(fields=["story", "facebook_post_id", "metric"], name="one_value_per_story_metric")
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class CallbackAttempt(models.Model):
    """One POST of a story's state to its API client's callback URL, kept for the admin and the page."""

    api_client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="callback_attempts")
    story = models.ForeignKey(Story, null=True, on_delete=models.SET_NULL, related_name="callback_attempts")
    url = models.URLField(max_length=500)
    story_status = models.PositiveSmallIntegerField(_("story status"), choices=StoryStatus.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    delivered = models.BooleanField(_("delivered"), default=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.url} #{self.attempt} → {self.status_code or self.error}"
