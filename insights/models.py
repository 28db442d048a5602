from __future__ import annotations

import logging

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import vault
from accounts.models import Organization
from collector.models import Comment, MediaProductType, MediaType, Profile
from meta.errors import (
    MetaError,
    OutsideMessagingWindow,
    PermissionMissing,
    RateLimited,
    RecipientUnavailable,
    TokenInvalid,
)
from meta.redact import redact
from webhooks.models import Conversation

logger = logging.getLogger(__name__)


class MediaKind(models.TextChoices):
    """The four kinds people compare: Meta's media_type and media_product_type folded together.

    The one vocabulary of media types: pages show its labels, exports and the analysis
    downloads write its values in their `media_type` column (Meta's own two fields are kept in
    the media export as graph_media_type and graph_product_type, for joining with Meta's data).
    """

    IMAGE = "image", _("Image")
    CAROUSEL = "carousel", _("Carousel")
    REEL = "reel", _("Reel")
    STORY = "story", _("Story")

    @property
    def plural(self) -> str:
        """The label in a sentence about many posts: "Caxias, reels, Tue-Thu 18-21 h"."""
        return str(KIND_PLURALS[self.value])

    @classmethod
    def of(cls, media_type: str, product_type: str) -> MediaKind:
        if product_type == MediaProductType.STORY:
            return cls.STORY
        if product_type == MediaProductType.REELS or media_type == MediaType.VIDEO:
            # Feed videos have been published as reels since 2022.
            return cls.REEL
        if media_type == MediaType.CAROUSEL_ALBUM:
            return cls.CAROUSEL
        return cls.IMAGE


KIND_PLURALS = {
    MediaKind.IMAGE.value: pgettext_lazy("media kind, plural in a sentence", "images"),
    MediaKind.CAROUSEL.value: pgettext_lazy("media kind, plural in a sentence", "carousels"),
    MediaKind.REEL.value: pgettext_lazy("media kind, plural in a sentence", "reels"),
    MediaKind.STORY.value: pgettext_lazy("media kind, plural in a sentence", "stories"),
}


class DailyMetric(models.Model):
    """The media a profile posted on one day (site time zone), of one kind, and what they earned.

    Rebuilt by insights.aggregates after each collection, so the pages sum a few hundred rows
    at most instead of reading every post. Values are the latest lifetime insights of those
    media, attributed to the day they were posted.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="daily_metrics")
    date = models.DateField(_("date"))
    kind = models.CharField(_("media kind"), max_length=10, choices=MediaKind.choices)
    posts = models.PositiveIntegerField(_("posts"), default=0)
    posts_with_reach = models.PositiveIntegerField(_("posts with reach"), default=0)
    reach = models.BigIntegerField(_("reach"), default=0)
    views = models.BigIntegerField(_("views"), default=0)
    likes = models.BigIntegerField(_("likes"), default=0)
    comments = models.BigIntegerField(_("comments"), default=0)
    saves = models.BigIntegerField(_("saves"), default=0)
    shares = models.BigIntegerField(_("shares"), default=0)
    interactions = models.BigIntegerField(_("interactions"), default=0)
    interactions_with_reach = models.BigIntegerField(
        _("interactions on posts with reach"), default=0, help_text=_("The numerator of engagement rate by reach.")
    )
    rebuilt_at = models.DateTimeField(_("rebuilt at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily metric")
        verbose_name_plural = _("daily metrics")
        ordering = ["profile", "date", "kind"]
        constraints = [models.UniqueConstraint(fields=["profile", "date", "kind"], name="one_daily_metric_per_kind")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.date} {self.kind}"


class ActionKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    HIDE = "hide", _("Hide")
    UNHIDE = "unhide", _("Unhide")
    # A context: django.contrib.admin's catalogue, read first, says "Remover" for a bare "Delete".
    DELETE = "delete", pgettext_lazy("comment action", "Delete")


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CommentActionQuerySet(models.QuerySet["CommentAction"]):
    def latest_per_comment(self, top_level_ids: list[int]) -> dict[int, CommentAction]:
        """The newest action on each of these comments and on each of their replies: what the page
        shows beside them."""
        # A correlated subquery rather than DISTINCT ON, which SQLite (make run's default) lacks.
        newest = self.model.objects.filter(comment_id=OuterRef("comment_id")).order_by("-created_at", "-pk")
        threads = Q(comment_id__in=top_level_ids) | Q(comment__parent_id__in=top_level_ids)
        rows = self.filter(threads, pk=Subquery(newest.values("pk")[:1]))
        return {action.comment_id: action for action in rows}


# Stored instead of a sentence so the page shows it in the viewer's language.
NEEDS_RECONNECT = "needs_reconnect"


class FailureReason(models.TextChoices):
    """Why Meta refused a request, in our words: people read these, never Meta's English."""

    RECONNECT = "reconnect", _("The account's connection needs to be renewed")
    PERMISSION = "permission", _("A permission was not granted")
    WINDOW_CLOSED = "window_closed", _("Outside the 24-hour messaging window")
    AGENT_WINDOW_CLOSED = "agent_closed", _("Outside the 7-day Human Agent window")
    RECIPIENT = "recipient", _("The person cannot receive messages")
    RATE_LIMITED = "rate_limited", _("Rate limited by Meta")
    OTHER = "other", _("Other refusal")

    @classmethod
    def of(cls, exc: MetaError) -> FailureReason:
        for kind, reason in (
            (TokenInvalid, cls.RECONNECT),
            (OutsideMessagingWindow, cls.WINDOW_CLOSED),
            (RecipientUnavailable, cls.RECIPIENT),
            (PermissionMissing, cls.PERMISSION),
            (RateLimited, cls.RATE_LIMITED),
        ):
            if isinstance(exc, kind):
                return reason
        return cls.OTHER


FAILURE_SENTENCES = {
    FailureReason.RECONNECT: _("The account's connection needs to be renewed: reconnect it and try again."),
    FailureReason.PERMISSION: _(
        "The account has not granted the permission this needs: reconnect it and allow every permission asked."
    ),
    FailureReason.WINDOW_CLOSED: _(
        "Instagram refused this message: the 24-hour window has closed. You can answer once this person writes again."
    ),
    FailureReason.AGENT_WINDOW_CLOSED: _(
        "Instagram refused this Human Agent reply: 7 days have passed since this person's last message. "
        "You can answer once they write again."
    ),
    FailureReason.RECIPIENT: _("Instagram cannot deliver this message: this person is not available right now."),
    FailureReason.RATE_LIMITED: _("Meta is rate-limiting this account; try again in a few minutes."),
    FailureReason.OTHER: _("Meta did not accept this request. Try again in a while."),
}


class MetaRequest(models.Model):
    """Something a person asked us to do on Meta: stored first, sent by a task, outcome shown.

    On failure `error` keeps Meta's own text (the admin and the log show it) and `failure_reason`
    what the page says about it."""

    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PENDING)
    error = models.TextField(_("error"), blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=16, choices=FailureReason.choices, blank=True)
    result_meta_id = models.CharField(_("Meta id of the result"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    def finish(self, *, error: str = "", result_meta_id: str = "", reason: str = "") -> None:
        self.status = ActionStatus.FAILED if error else ActionStatus.DONE
        self.error = error
        self.failure_reason = reason or (FailureReason.OTHER if error else "")
        self.result_meta_id = result_meta_id
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "failure_reason", "result_meta_id", "finished_at"])

    def refused(self, exc: MetaError) -> None:
        """End as failed because Meta said no: its text logged and kept, our sentence shown."""
        logger.warning("%s refused by Meta: %s", self, redact(str(exc)))
        self.finish(error=redact(str(exc)), reason=self.reason_for(exc))

    def reason_for(self, exc: MetaError) -> FailureReason:
        return FailureReason.of(exc)

    @property
    def error_display(self) -> str:
        if self.error == NEEDS_RECONNECT:
            return str(FAILURE_SENTENCES[FailureReason.RECONNECT])
        return str(FAILURE_SENTENCES.get(self.failure_reason, FAILURE_SENTENCES[FailureReason.OTHER]))


class CommentAction(MetaRequest):
    """A reply, hide, unhide or delete on one comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    text = models.TextField(_("reply text"), blank=True)

    objects = CommentActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment action")
        verbose_name_plural = _("comment actions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["comment", "-created_at"], name="action_comment_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.comment_id} ({self.status})"


class MessageReply(MetaRequest):
    """A reply typed on the messages page, sent within Meta's messaging window.

    `human_agent` records that a member clicked Send between 24 hours and 7 days after the
    person's last message: the only case in which the task tags the message HUMAN_AGENT."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("text"))
    human_agent = models.BooleanField(
        _("sent by a person as Human Agent"),
        default=False,
        help_text=_("Typed and sent by a member after 24 hours: Meta's HUMAN_AGENT tag, allowed up to 7 days."),
    )

    class Meta:
        verbose_name = _("message reply")
        verbose_name_plural = _("message replies")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"reply in {self.conversation_id} ({self.status})"

    def reason_for(self, exc: MetaError) -> FailureReason:
        # Meta's refusal names the 24-hour window either way; a Human Agent reply missed the 7 days.
        # Decided before the one write that ends the reply: a page never sees the wrong sentence.
        reason = super().reason_for(exc)
        if self.human_agent and reason == FailureReason.WINDOW_CLOSED:
            return FailureReason.AGENT_WINDOW_CLOSED
        return reason


class QuickReply(models.Model):
    """A saved answer an organization's team inserts in the message composer."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="quick_replies")
    title = models.CharField(_("title"), max_length=60)
    text = models.TextField(_("text"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class AuditAction(models.TextChoices):
    COMMENT_REPLY = "comment_reply", _("Replied to a comment")
    COMMENT_HIDE = "comment_hide", _("Hid a comment")
    COMMENT_UNHIDE = "comment_unhide", _("Unhid a comment")
    COMMENT_DELETE = "comment_delete", _("Deleted a comment")
    MESSAGE_REPLY = "message_reply", _("Replied to a message")
    MESSAGE_HUMAN_AGENT = "message_human_agent", _("Replied to a message as Human Agent")
    QUICK_REPLY_CREATE = "quick_reply_create", _("Saved a quick reply")
    QUICK_REPLY_DELETE = "quick_reply_delete", _("Deleted a quick reply")


class AuditEntry(models.Model):
    """Who did what on the organization's comments and messages, and when.

    `target` names what was acted on inside the app ("comment 12"), never a person's words."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=24, choices=AuditAction.choices)
    profile = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(_("target"), max_length=64, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target}"


class AuditKey(models.Model):
    """The organization's secret for pseudonyms in exports and dataset releases (audit actors,
    commenters): encrypted at rest like access tokens, since whoever holds it can test a guessed
    id against a pseudonym."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="audit_key")
    secret_encrypted = models.TextField(editable=False)

    class Meta:
        verbose_name = _("audit key")
        verbose_name_plural = _("audit keys")

    def __str__(self) -> str:
        return f"audit key of {self.organization_id}"

    @property
    def secret(self) -> str:
        return vault.decrypt(self.secret_encrypted)

    @secret.setter
    def secret(self, plaintext: str) -> None:
        self.secret_encrypted = vault.encrypt(plaintext)
