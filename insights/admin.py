"""What people asked us to do on Meta, with Meta's own words when it refused (the pages show ours)."""

from django.contrib import admin

from insights.models import CommentAction, MessageReply


class MetaRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "failure_reason", "error", "created_at", "finished_at"]
    list_filter = ["status", "failure_reason"]
    readonly_fields = ["status", "failure_reason", "error", "result_meta_id", "created_at", "finished_at"]


@admin.register(CommentAction)
class CommentActionAdmin(MetaRequestAdmin):
    raw_id_fields = ["comment", "requested_by"]


@admin.register(MessageReply)
class MessageReplyAdmin(MetaRequestAdmin):
    raw_id_fields = ["conversation", "requested_by"]
