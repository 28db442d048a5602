from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import psycopg
from django.db import InterfaceError, OperationalError, connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collector.models import Profile

INSERT_EVENT = (
    "INSERT INTO webhooks_webhookevent"
    " (received_at, object, fields, body, body_bytes, status, attempts, report, error)"
    " VALUES (%s, %s, %s, %s, %s, %s, 0, '{}', '') RETURNING id"
)
# A failed delivery is retried by the sweep until it has failed this often; then it waits in the
# admin (counted on its index page) for someone to look and retry it.
SWEEP_ATTEMPTS = 5


class EventStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not processed yet")
    PROCESSED = "processed", _("Processed")
    UNHANDLED = "unhandled", _("Processed, with fields we have no handler for")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected: not JSON")
    TEST = "test", _("Test delivery from the app dashboard")


class WebhookEventQuerySet(models.QuerySet["WebhookEvent"]):
    def store(self, *, object: str, fields: str, body: str, status: str, body_bytes: bytes | None = None) -> int:
        """Insert one delivery as it arrived and return its id.

        The request path of every webhook: one INSERT written by hand, because building it
        through the ORM cost a fifth of the request's CPU under load (docs/benchmarks.md), and
        one round trip: CONN_HEALTH_CHECKS would first send a `SELECT 1` on every delivery (half
        the database waits of the request, cProfile in docs/benchmarks.md). Instead, an INSERT
        that finds its persistent connection dead (a database restart) is tried once more on a
        fresh one; a delivery stored twice that way is processed idempotently.
        """
        row = [timezone.now(), object, fields, body, body_bytes, status]
        if connection.in_atomic_block:  # a caller's transaction: a retry could not redo its work
            return self._insert(row)
        connection.health_check_done = True
        try:
            return self._insert(row)
        except (InterfaceError, OperationalError):
            connection.close()
            return self._insert(row)

    @staticmethod
    def _insert(row: list[Any]) -> int:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(INSERT_EVENT, row)
                return cursor.fetchone()[0]
        # On PostgreSQL, psycopg's own cursor with the statement prepared once per connection:
        # Django's cursor wrapper and psycopg's client-side interpolation were a third of the
        # request's Python (docs/webhooks.md). Errors still come out as Django's.
        connection.ensure_connection()
        with connection.wrap_database_errors:
            return psycopg.Cursor(connection.connection).execute(INSERT_EVENT, row, prepare=True).fetchone()[0]

    def due_for_sweep(self, received_before: datetime, not_swept_since: datetime) -> WebhookEventQuerySet:
        """Stored but never processed (the broker may have been down), or failed fewer than
        SWEEP_ATTEMPTS times (a deadlock, a database restart), and not requeued lately."""
        failed = models.Q(status=EventStatus.FAILED, attempts__lt=SWEEP_ATTEMPTS)
        pending = models.Q(status=EventStatus.RECEIVED) | failed
        return self.filter(pending, received_at__lt=received_before).filter(
            models.Q(swept_at__isnull=True) | models.Q(swept_at__lt=not_swept_since)
        )


class WebhookEvent(models.Model):
    """One delivery from Meta exactly as it arrived, stored before anything else happens."""

    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    object = models.CharField(_("object"), max_length=32, blank=True)
    # Comma-framed (",comments,mentions,") so the admin can filter by one field with a LIKE.
    fields = models.CharField(_("fields"), max_length=500, blank=True)
    body = models.TextField(_("body"))
    # The exact bytes, kept only when `body` cannot hold them (not UTF-8, or a NUL byte).
    body_bytes = models.BinaryField(_("exact bytes"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.RECEIVED)
    profile = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_events"
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    swept_at = models.DateTimeField(_("requeued by the sweep"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = WebhookEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"], name="webhook_status_received")]

    def __str__(self) -> str:
        return f"{self.object or '?'} {self.field_list or ''} @ {self.received_at:%Y-%m-%d %H:%M:%S}"

    @property
    def field_list(self) -> list[str]:
        return [field for field in self.fields.split(",") if field]

    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)

    @staticmethod
    def frame_fields(names: set[str]) -> str:
        return "," + ",".join(sorted(names)) + "," if names else ""


class Conversation(models.Model):
    """A direct-message thread between a profile and one person (their page- or IG-scoped id)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="conversations")
    participant_id = models.CharField(_("participant id"), max_length=64)
    participant_username = models.CharField(_("participant username"), max_length=64, blank=True)
    meta_id = models.CharField(_("Meta conversation id"), max_length=255, blank=True)
    synced_at = models.DateTimeField(
        _("read from Meta"), null=True, blank=True, help_text=_("When the Conversations API was last read for it.")
    )
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    last_read_at = models.DateTimeField(
        _("read by them up to"), null=True, blank=True, help_text=_("Their latest read mark.")
    )
    participant_picture_url = models.URLField(_("participant picture"), max_length=1000, blank=True)
    participant_checked_at = models.DateTimeField(
        _("profile read from Meta"), null=True, blank=True, help_text=_("Read again at most daily.")
    )
    # One mark for the whole team: the inbox is shared, so a message a colleague has already
    # opened is no longer news for the organization.
    opened_at = models.DateTimeField(_("opened by the team"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "participant_id"], name="one_conversation_per_participant")
        ]

    def __str__(self) -> str:
        return f"{self.profile} ↔ {self.display_name}"

    @property
    def display_name(self) -> str:
        """The person's @username once Meta told us; until then, their Instagram-scoped id."""
        return f"@{self.participant_username}" if self.participant_username else self.participant_id


class Message(models.Model):
    """One message; `is_echo` marks those the profile sent (Meta echoes them back)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    mid = models.CharField(_("message id"), max_length=255)
    is_echo = models.BooleanField(_("sent by the profile"), default=False)
    text = models.TextField(_("text"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=255, blank=True)
    reaction = models.CharField(_("reaction"), max_length=32, blank=True)
    edit_count = models.PositiveSmallIntegerField(_("edits"), default=0)
    standby = models.BooleanField(
        _("while another app owned the conversation"),
        default=False,
        help_text=_("Delivered in Meta's standby channel (handover protocol): another app was answering."),
    )
    is_deleted = models.BooleanField(_("deleted"), default=False)
    sent_at = models.DateTimeField(_("sent"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "sent_at"]
        constraints = [models.UniqueConstraint(fields=["conversation", "mid"], name="one_message_per_mid")]

    def __str__(self) -> str:
        return f"{self.mid}: {self.text[:40]}"

    @property
    def story(self) -> str:
        """ "mention" or "reply" when the person wrote about one of the account's stories."""
        if any(isinstance(a, dict) and a.get("type") == "story_mention" for a in self.attachments):
            return "mention"
        return "reply" if self.reply_to.startswith(STORY_REPLY) else ""


STORY_REPLY = "story:"  # `reply_to` of a reply to a story: the story's id after this prefix
