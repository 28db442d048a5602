from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from publishing import queueing
from publishing.models import ApiClient, CallbackAttempt, Story, StoryPublication, StoryStatus


class StoryPublicationInline(admin.TabularInline):
    model = StoryPublication
    extra = 0
    can_delete = False
    readonly_fields = [
        "asset",
        "asset_type",
        "asset_id",
        "facebook_post_id",
        "story_url",
        "published_at",
        "replaced_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallbackAttemptInline(admin.TabularInline):
    model = CallbackAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "story", "story_status", "attempt", "url", "status_code", "delivered", "error"]
    fields = readonly_fields
    ordering = ["-created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CallbackAttempt)
class CallbackAttemptAdmin(admin.ModelAdmin):
    list_display = ["created_at", "api_client", "story", "story_status", "attempt", "status_code", "delivered"]
    list_filter = ["delivered", "api_client"]  # a client's attempts: filter here (no inline: its add form stays plain)
    readonly_fields = [f.name for f in CallbackAttempt._meta.fields]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "channel", "page_id", "asset_type", "status", "created_at", "published_at"]
    list_filter = ["organization", "channel", "status", "asset_type", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["organization"]
    search_fields = ["page_id", "facebook_post_id", "organization__name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "asset_id",
        "facebook_post_id",
        "story_url",
        "published_at",
        "error",
        "claimed_at",
        "publish_requested_at",
        "user",
        "api_client",
        "idempotency_key",
    ]
    inlines = [StoryPublicationInline, CallbackAttemptInline]
    actions = ["retry_publish"]

    @admin.action(description=_("Retry publishing the selected stories"))
    def retry_publish(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        count = 0
        for story in queryset.exclude(status=StoryStatus.PUBLISHED):
            queueing.requeue(story)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d story queued for publishing.", "%(count)d stories queued for publishing.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "client_id", "is_active", "callback_url", "created_at", "last_used_at"]
    list_filter = ["is_active", "organization"]
    search_fields = ["name", "client_id"]
    readonly_fields = ["client_id", "created_at", "last_used_at"]
    actions = ["rotate_secret"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        secret = None if change else obj.set_new_secret()
        super().save_model(request, obj, form, change)
        if secret is not None:
            self._show_secret_once(request, obj, secret)

    @admin.action(description=_("Generate a new secret (the old one stops working)"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            secret = client.set_new_secret()
            client.save(update_fields=["secret_hash", "secret_encrypted"])
            self._show_secret_once(request, client, secret)

    def _show_secret_once(self, request: HttpRequest, client: ApiClient, secret: str) -> None:
        self.message_user(
            request,
            _("Client %(client_id)s secret: %(secret)s — copy it now, it is stored hashed and will not be shown again.")
            % {"client_id": client.client_id, "secret": secret},
            messages.WARNING,
        )
