from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from collector.models import CollectionRun, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "platform",
        "organization",
        "collection_status",
        "backfill_done",
        "backfill_total",
        "last_collected_at",
    ]
    list_filter = ["platform", "collection_status", "webhooks_missing"]
    search_fields = ["username", "name", "meta_id"]
    readonly_fields = ["raw", "backfill_started_at", "backfill_finished_at", "media_cursor", "insights_refreshed"]
    actions = ["collect_now", "backfill_now"]

    @admin.action(description=_("Collect now (incremental sync)"))
    def collect_now(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        from collector.tasks import sync_profile

        for profile_id in queryset.values_list("pk", flat=True):
            sync_profile.delay(profile_id)
        self.message_user(request, _("Sync queued."), messages.SUCCESS)

    @admin.action(description=_("Backfill now"))
    def backfill_now(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        from collector.tasks import backfill_profile

        for profile_id in queryset.values_list("pk", flat=True):
            backfill_profile.delay(profile_id)
        self.message_user(request, _("Backfill queued."), messages.SUCCESS)


@admin.register(CollectionRun)
class CollectionRunAdmin(admin.ModelAdmin):
    list_display = ["profile", "kind", "started_at", "duration", "graph_calls", "items_upserted", "outcome", "worker"]
    list_filter = ["kind", "outcome"]
    readonly_fields = [f.name for f in CollectionRun._meta.fields]
