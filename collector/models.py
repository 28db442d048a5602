from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Credential, Organization
from collector.coded import CodedComment

# Meta's privacy floors: story values under 5 viewers, account audience data under 100 followers.
STORY_PRIVACY_FLOOR = 5
FOLLOWER_PRIVACY_FLOOR = 100


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK_PAGE = "facebook_page", _("Facebook Page")


class CollectionStatus(models.TextChoices):
    IDLE = "idle", _("Idle")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Collecting")
    PAUSED = "paused", _("Paused by rate limit")
    BUDGET_SPENT = "budget_spent", _("Paused by our hourly call budget")
    FAILED = "failed", _("Failed")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")


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
    # Collection state: what the workers are doing with this profile and how far they got.
    collection_status = models.CharField(
        _("collection status"), max_length=20, choices=CollectionStatus.choices, default=CollectionStatus.IDLE
    )
    last_error = models.TextField(_("last error"), blank=True)
    next_retry_at = models.DateTimeField(
        _("paused until"), null=True, blank=True, help_text=_("Meta's rate limit asked us to wait until then.")
    )
    backfill_total = models.PositiveIntegerField(_("backfill total"), null=True, blank=True)
    backfill_done = models.PositiveIntegerField(_("backfill done"), default=0)
    backfill_started_at = models.DateTimeField(_("backfill started"), null=True, blank=True)
    backfill_finished_at = models.DateTimeField(_("backfill finished"), null=True, blank=True)
    backfill_after = models.CharField(
        _("backfill cursor"),
        max_length=500,
        blank=True,
        help_text=_("Meta's cursor after the last media page loaded: an interrupted backfill resumes there."),
    )
    media_cursor = models.DateTimeField(
        _("newest media seen"), null=True, blank=True, help_text=_("Incremental syncs ask Meta for media since then.")
    )
    last_webhook_at = models.DateTimeField(_("last webhook"), null=True, blank=True)
    insights_refreshed = models.JSONField(
        _("insight refreshes"), default=dict, blank=True, help_text="Age bucket -> when its window was last re-read."
    )
    webhooks_missing = models.BooleanField(
        _("webhooks missing"), default=False, help_text=_("Comments are polled while webhooks do not arrive.")
    )
    webhooks_checked_at = models.DateTimeField(
        _("webhooks checked"), null=True, blank=True, help_text=_("When the check for missing webhooks last looked.")
    )
    unavailable = models.JSONField(
        _("unavailable data"),
        default=dict,
        blank=True,
        help_text="Part of the data Meta would not give -> the permission it needs (see collector.pages).",
    )
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
        if self.username and not self.is_page:  # a Page is known by its name, not its vanity URL
            return f"@{self.username}"
        return self.name or self.meta_id

    @property
    def is_page(self) -> bool:
        return self.platform == Platform.FACEBOOK_PAGE

    @property
    def below_follower_floor(self) -> bool:
        """Meta withholds follows, new followers and audience data from accounts this small."""
        return not self.is_page and self.followers_count is not None and self.followers_count < FOLLOWER_PRIVACY_FLOOR

    @property
    def backfill_running(self) -> bool:
        return self.backfill_started_at is not None and self.backfill_finished_at is None

    @property
    def backfill_interrupted(self) -> bool:
        """The backfill's worker was lost: its newest run stopped beating (or was found so and
        queued again, not yet taken up). The bar says "interrupted, resuming", never a frozen %."""
        if not self.backfill_running:
            return False
        run = self.runs.filter(kind=RunKind.BACKFILL).order_by("-started_at", "-pk").first()
        if run is None:
            return False
        if run.outcome == RunOutcome.INTERRUPTED:
            return True
        return run.outcome == RunOutcome.RUNNING and run.heartbeat_is_stale

    @property
    def backfill_percent(self) -> int:
        if self.backfill_finished_at is not None:
            return 100
        if not self.backfill_total:
            return 0
        return min(100, round(100 * self.backfill_done / self.backfill_total))


class ProfileSnapshot(models.Model):
    """One row per profile per day: the counters and the day's account insights."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="snapshots")
    date = models.DateField(_("date"))
    followers_count = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    follows_count = models.PositiveIntegerField(_("follows"), null=True, blank=True)
    media_count = models.PositiveIntegerField(_("media"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    accounts_engaged = models.PositiveIntegerField(_("accounts engaged"), null=True, blank=True)
    total_interactions = models.PositiveIntegerField(_("total interactions"), null=True, blank=True)
    follows = models.PositiveIntegerField(_("follows gained"), null=True, blank=True)
    unfollows = models.PositiveIntegerField(_("unfollows"), null=True, blank=True)
    # Figures Meta withheld below its privacy floor: {column: floor}; those columns stay null.
    suppressed = models.JSONField(_("hidden by Meta"), default=dict, blank=True)
    reach_breakdown = models.JSONField(
        _("reach by surface"), default=dict, blank=True, help_text="{media product type: {follow type: reach}}"
    )
    followers_estimated = models.BooleanField(
        _("followers estimated"),
        default=False,
        help_text=_("A day before connecting: its followers are worked back from Meta's daily new followers."),
    )
    raw = models.JSONField(default=dict, blank=True)
    captured_at = models.DateTimeField(_("captured at"), auto_now=True)

    class Meta:
        verbose_name = _("profile snapshot")
        verbose_name_plural = _("profile snapshots")
        ordering = ["profile", "-date"]
        constraints = [models.UniqueConstraint(fields=["profile", "date"], name="one_snapshot_per_profile_day")]

    def __str__(self) -> str:
        return f"{self.profile} {self.date}"


class MediaProductType(models.TextChoices):
    FEED = "FEED", _("Feed post")
    REELS = "REELS", _("Reel")
    STORY = "STORY", _("Story")
    AD = "AD", _("Ad")


class MediaType(models.TextChoices):
    IMAGE = "IMAGE", _("Image")
    VIDEO = "VIDEO", _("Video")
    CAROUSEL_ALBUM = "CAROUSEL_ALBUM", _("Carousel")


class InsightsUnavailable(models.TextChoices):
    # The values are meta.instagram's BEFORE_BUSINESS_CONVERSION (Meta's 100/2108006) and
    # BELOW_PRIVACY_FLOOR ("(#10) Not enough viewers", a story seen by fewer than 5).
    BEFORE_BUSINESS_CONVERSION = "before_business_conversion", _("posted before the business account conversion")
    BELOW_PRIVACY_FLOOR = "below_privacy_floor", _("hidden by Meta below 5 viewers")


# Meta's total_interactions when known (it nets out undone actions), else the four counters.
INTERACTIONS = Coalesce(
    F("total_interactions"),
    Coalesce(F("like_count"), 0)
    + Coalesce(F("comments_count"), 0)
    + Coalesce(F("saved"), 0)
    + Coalesce(F("shares"), 0),
)


class Media(models.Model):
    """A post, reel or story. Unique per profile, not globally: two organizations may
    connect the same Instagram account, and each keeps its own copy of its facts."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="media")
    meta_id = models.CharField(_("Meta id"), max_length=64)
    caption = models.TextField(_("caption"), blank=True)
    media_type = models.CharField(_("media type"), max_length=20, choices=MediaType.choices, blank=True)
    media_product_type = models.CharField(
        _("product type"), max_length=20, choices=MediaProductType.choices, default=MediaProductType.FEED
    )
    permalink = models.URLField(_("permalink"), max_length=1000, blank=True)
    media_url = models.URLField(_("media URL"), max_length=2000, blank=True)
    thumbnail_url = models.URLField(_("thumbnail URL"), max_length=2000, blank=True)
    timestamp = models.DateTimeField(_("posted at"))
    like_count = models.PositiveIntegerField(_("likes"), null=True, blank=True)
    comments_count = models.PositiveIntegerField(_("comments"), null=True, blank=True)
    children = models.JSONField(_("carousel children"), default=list, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    # The latest insight values, copied here so pages sort and sum without joining the series.
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    saved = models.PositiveIntegerField(_("saved"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), null=True, blank=True)
    total_interactions = models.PositiveIntegerField(_("total interactions"), null=True, blank=True)
    insights_updated_at = models.DateTimeField(_("insights updated"), null=True, blank=True)
    # Why Meta has no insights for this media at all (its values stay null, never 0).
    insights_unavailable = models.CharField(
        _("insights unavailable"), max_length=40, choices=InsightsUnavailable.choices, blank=True, default=""
    )
    deep_insights_at = models.DateTimeField(
        _("type-specific insights read"), null=True, blank=True, help_text="Follows, profile visits, watch times."
    )
    comments_polled_at = models.DateTimeField(_("comments polled"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Engagement rate by reach (%), kept by the database itself on every write of the counters
    # (a stored generated column): the post lists sort by it through an index.
    er_reach = models.GeneratedField(
        expression=Cast(INTERACTIONS, models.FloatField()) * 100.0 / NullIf(F("reach"), 0),
        output_field=models.FloatField(null=True),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        ordering = ["-timestamp"]
        constraints = [models.UniqueConstraint(fields=["profile", "meta_id"], name="one_media_per_profile")]
        indexes = [
            models.Index(fields=["profile", "-timestamp"], name="media_profile_time"),
            models.Index(fields=["profile", "media_product_type", "-timestamp"], name="media_profile_type_time"),
            models.Index(fields=["meta_id"], name="media_meta_id"),
            # The post lists count a period's posts from this index alone; their page by ER reads
            # media_live_er_reach, made in migration 0016 (SQLite has no NULLS LAST in an index).
            models.Index(fields=["profile", "-timestamp"], condition=Q(is_deleted=False), name="media_live_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_media_product_type_display()} {self.meta_id}"


class Provenance(models.TextChoices):
    """How a capture was taken: the story vault shows it beside every value (docs/stories.md)."""

    LIVE = "live", _("live")
    PRE_EXPIRY = "pre_expiry", _("pre-expiry")
    WEBHOOK_FINAL = "webhook_final", _("webhook final")


class Unavailable(models.TextChoices):
    """Why a capture holds no values (its columns stay null, never 0)."""

    NOT_YET = "not_yet", _("Meta has no values yet (a story's first hour)")
    BELOW_PRIVACY_FLOOR = "below_privacy_floor", _("hidden by Meta below 5 viewers")
    EXPIRED = "expired", _("the story had expired at Meta when we asked")
    TOKEN = "token", _("the token no longer works")
    ERROR = "error", _("Meta refused the request")


class MediaInsight(models.Model):
    """One capture of a media's lifetime metrics: the rows of one media make its time series.

    Each column is null when the metric does not exist for the media's product type
    (meta.metrics decides which are asked for).
    """

    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="insights")
    captured_at = models.DateTimeField(_("captured at"))
    reach = models.PositiveIntegerField(null=True, blank=True)
    views = models.PositiveIntegerField(null=True, blank=True)
    likes = models.PositiveIntegerField(null=True, blank=True)
    comments = models.PositiveIntegerField(null=True, blank=True)
    saved = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True)
    total_interactions = models.PositiveIntegerField(null=True, blank=True)
    reposts = models.PositiveIntegerField(null=True, blank=True)
    follows = models.PositiveIntegerField(null=True, blank=True)
    profile_visits = models.PositiveIntegerField(null=True, blank=True)
    ig_reels_avg_watch_time = models.PositiveIntegerField(_("average watch time (ms)"), null=True, blank=True)
    ig_reels_video_view_total_time = models.BigIntegerField(_("total watch time (ms)"), null=True, blank=True)
    replies = models.PositiveIntegerField(null=True, blank=True)
    navigation = models.PositiveIntegerField(null=True, blank=True)
    navigation_breakdown = models.JSONField(default=dict, blank=True)
    # Values Meta withheld below its privacy floor: {column: floor}; those columns stay null.
    suppressed = models.JSONField(_("hidden by Meta"), default=dict, blank=True)
    # Database defaults too: the pipeline writes captures with its own INSERT (pipeline._capture).
    provenance = models.CharField(
        _("provenance"), max_length=16, choices=Provenance.choices, default=Provenance.LIVE, db_default=Provenance.LIVE
    )
    unavailable = models.CharField(
        _("unavailable"), max_length=24, choices=Unavailable.choices, blank=True, default="", db_default=""
    )
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("media insight")
        verbose_name_plural = _("media insights")
        ordering = ["media", "-captured_at"]
        constraints = [models.UniqueConstraint(fields=["media", "captured_at"], name="one_insight_per_capture")]

    def __str__(self) -> str:
        return f"{self.media_id} @ {self.captured_at:%Y-%m-%d %H:%M}"


class CommentSource(models.TextChoices):
    POLL = "poll", _("Polling")
    WEBHOOK = "webhook", _("Webhook")
    BACKFILL = "backfill", _("First collection")


class Comment(CodedComment):
    """A comment or a reply (parent set). Unique per profile, like Media. Its coded variables
    (sentiment and flags, collector.coded) are set whenever its text is stored."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="comments")
    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    meta_id = models.CharField(_("Meta id"), max_length=64)
    author_id = models.CharField(_("author id"), max_length=64, blank=True)
    username = models.CharField(_("username"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    timestamp = models.DateTimeField(_("posted at"))
    like_count = models.PositiveIntegerField(_("likes"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=CommentSource.choices, default=CommentSource.POLL)
    raw = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-timestamp"]
        constraints = [models.UniqueConstraint(fields=["profile", "meta_id"], name="one_comment_per_profile")]
        indexes = [
            models.Index(fields=["media", "-timestamp"], name="comment_media_time"),
            models.Index(fields=["profile", "-timestamp"], name="comment_profile_time"),
            models.Index(fields=["meta_id"], name="comment_meta_id"),
            # webhooks.arrival.check_webhooks_arriving reads each profile's comments since its last check.
            models.Index(fields=["profile", "first_seen_at"], name="comment_profile_seen"),
            # The comments page's "questions not yet answered", newest first.
            models.Index(
                fields=["profile", "-timestamp"], condition=models.Q(is_question=True), name="comment_profile_questions"
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.username}: {self.text[:40]}"


class Mention(models.Model):
    """The profile was @mentioned in someone's caption (comment_id empty) or comment."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="mentions")
    media_id = models.CharField(_("media id"), max_length=64)
    comment_id = models.CharField(_("comment id"), max_length=64, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "media_id", "comment_id"], name="one_mention_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.profile} in {self.comment_id or self.media_id}"


class RunKind(models.TextChoices):
    BACKFILL = "backfill", _("Backfill")
    SYNC = "sync", _("Incremental sync")
    STORIES = "stories", _("Stories")
    INSIGHTS = "insights", _("Type-specific insights")
    SNAPSHOT = "snapshot", _("Daily snapshot")
    HISTORY = "history", _("Account history")
    COMMENTS = "comments", _("Comment polling")
    AUDIENCE = "audience", _("Audience")
    PUBLIC = "public", _("Public data (Business Discovery)")
    TAGS = "tags", _("Media we are tagged in")


class RunOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    OK = "ok", _("Completed")
    RETRY = "retry", _("Paused, will retry")
    INTERRUPTED = "interrupted", _("Interrupted, resumed")
    FAILED = "failed", _("Failed")
    NEEDS_RECONNECT = "needs_reconnect", _("Token needs reconnect")


class CollectionRun(models.Model):
    """One task's work on one profile: what it cost in Graph calls and what it stored."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("kind"), max_length=16, choices=RunKind.choices)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    graph_calls = models.PositiveIntegerField(_("Graph calls"), default=0)
    items_upserted = models.PositiveIntegerField(_("items upserted"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RunOutcome.choices, default=RunOutcome.RUNNING)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    # A running run touches this every 15 s (collector.runs.Heartbeat); one that stops touching it lost its worker
    # (collector.stale_work re-queues it: the database, not the broker, says what is pending).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # The token of the profile's Redis lock while it runs: a run found dead frees exactly its own.
    lock_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("collection run")
        verbose_name_plural = _("collection runs")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["profile", "kind", "-started_at"], name="run_profile_kind_time"),
            models.Index(fields=["outcome", "heartbeat_at"], name="run_outcome_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.profile} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def heartbeat_is_stale(self) -> bool:
        beat = self.heartbeat_at or self.started_at
        return timezone.now() - beat > timedelta(seconds=settings.COLLECTOR_STALE_RUN_SECONDS)

    @property
    def duration(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


# Kept in their own modules (this one is long enough); imported here so Django registers them.
from collector.audience import AudienceMetric, AudienceSnapshot  # noqa: E402, F401
from collector.gaps import DataGap, GapReason  # noqa: E402, F401
