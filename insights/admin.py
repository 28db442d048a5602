"""What people asked us to do on Meta, with Meta's own words when it refused (the pages show ours)."""

from django.contrib import admin

from insights.models import AuditEntry, CommentAction, MessageReply, QuickReply


class MetaRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "failure_reason", "error", "created_at", "finished_at"]
    list_filter = ["status", "failure_reason"]
    readonly_fields = ["status", "failure_reason", "error", "result_meta_id", "created_at", "finished_at"]


@admin.register(CommentAction)
class CommentActionAdmin(MetaRequestAdmin):
    raw_id_fields = ["comment", "requested_by"]


@admin.register(MessageReply)
class MessageReplyAdmin(MetaRequestAdmin):
    list_display = [*MetaRequestAdmin.list_display, "human_agent"]
    raw_id_fields = ["conversation", "requested_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: a trail that could be edited would prove nothing."""

    list_display = ["at", "organization", "actor", "action", "profile", "target"]
    list_filter = ["action", "organization"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(QuickReply)
class QuickReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "created_by", "created_at"]
    raw_id_fields = ["created_by"]
