from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from webhooks.broker import enqueue
from webhooks.dispatch import HANDLERS
from webhooks.models import Conversation, EventStatus, Message, WebhookEvent
from webhooks.processing import PUBLISH_CHUNK, process_events


class FieldFilter(admin.SimpleListFilter):
    title = _("field")
    parameter_name = "field"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        seen = set(HANDLERS)
        for fields in WebhookEvent.objects.filter(status=EventStatus.UNHANDLED).values_list("fields", flat=True)[:500]:
            seen.update(field for field in fields.split(",") if field)
        return [(field, field) for field in sorted(seen)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> QuerySet[WebhookEvent]:
        if self.value():
            return queryset.filter(fields__contains=f",{self.value()},")
        return queryset


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "object", "fields", "status", "profile", "attempts", "processed_at"]
    list_filter = ["status", FieldFilter, "object", "profile"]
    list_select_related = ["profile"]
    date_hierarchy = "received_at"
    search_fields = ["body"]
    show_full_result_count = False
    actions = ["replay"]
    readonly_fields = [
        "received_at",
        "object",
        "fields",
        "status",
        "profile",
        "attempts",
        "swept_at",
        "processed_at",
        "error",
        "pretty_report",
        "pretty_body",
    ]
    exclude = ["body", "report"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("report"))
    def pretty_report(self, event: WebhookEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(event.report, indent=2, ensure_ascii=False))

    @admin.display(description=_("raw body"))
    def pretty_body(self, event: WebhookEvent) -> str:
        try:
            text = json.dumps(event.payload(), indent=2, ensure_ascii=False)
        except ValueError:
            text = event.body
        return format_html("<pre>{}</pre>", text)

    @admin.action(description=_("Retry: process the selected deliveries again"))
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookEvent]) -> None:
        """Any number at once ("select all" included): one task per PUBLISH_CHUNK deliveries. What the
        broker does not take stays `received`, and the sweep queues it."""
        ids = list(queryset.exclude(status=EventStatus.REJECTED).order_by("pk").values_list("pk", flat=True))
        queued = 0
        for start in range(0, len(ids), PUBLISH_CHUNK):
            chunk = ids[start : start + PUBLISH_CHUNK]
            WebhookEvent.objects.filter(pk__in=chunk).update(
                status=EventStatus.RECEIVED, error="", swept_at=None, attempts=0
            )
            queued += len(chunk) if enqueue(process_events, chunk) else 0
        if queued == len(ids):
            text = ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", queued)
            self.message_user(request, text % {"count": queued}, messages.SUCCESS)
            return
        text = ngettext(
            "%(count)d delivery will be processed again; the broker is unavailable, so the sweep will queue it.",
            "%(count)d deliveries will be processed again; the broker is unavailable, so the sweep will queue them.",
            len(ids),
        )
        self.message_user(request, text % {"count": len(ids)}, messages.WARNING)


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["sent_at", "is_echo", "text", "reaction", "edit_count", "is_deleted", "read_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["profile", "participant_username", "participant_id", "last_message_at", "synced_at"]
    list_filter = ["profile"]
    search_fields = ["participant_id", "participant_username", "messages__text"]
    inlines = [MessageInline]
