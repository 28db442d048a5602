from django.contrib import admin

from storyvault.models import StorageQuota, StoryKeep


@admin.register(StorageQuota)
class StorageQuotaAdmin(admin.ModelAdmin):
    list_display = ("organization", "quota_mb", "updated_at")
    search_fields = ("organization__name",)


@admin.register(StoryKeep)
class StoryKeepAdmin(admin.ModelAdmin):
    list_display = ("media", "profile", "posted_at", "file_state", "file_bytes", "missed", "missed_reason")
    list_filter = ("file_state", "missed", "missed_reason")
    raw_id_fields = ("media", "profile")
