from __future__ import annotations

from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers

from accounts.models import Organization
from collector.models import Platform
from publishing import assets
from publishing.models import AssetType, Story, StoryStatus

# The contract's examples: "2024-01-15T10:30:00Z" (UTC, whole seconds).
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
BASE64_ERROR = "Error processing base64 image: Invalid base64 string"


class Base64Error(exceptions.APIException):
    """The contract's own body for undecodable base64: `{"error": "…"}`, not a field error."""

    status_code = 400
    default_code = "invalid_base64"

    def __init__(self) -> None:
        super().__init__()
        self.detail = {"error": BASE64_ERROR}


class Timestamp(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=TIMESTAMP_FORMAT, default_timezone=UTC, read_only=True, **kwargs)


class StorySerializer(serializers.ModelSerializer):
    dealer_id = serializers.IntegerField(source="organization_id", read_only=True)
    dealer_name = serializers.CharField(source="organization.name", read_only=True)
    asset = serializers.SerializerMethodField()
    asset_type = serializers.ChoiceField(choices=AssetType.choices)
    asset_type_display = serializers.CharField(source="get_asset_type_display", read_only=True)
    asset_id = serializers.CharField(read_only=True)
    user_id = serializers.IntegerField(read_only=True, allow_null=True)
    user_name = serializers.SerializerMethodField()
    created_at = Timestamp()
    published_at = Timestamp(allow_null=True)
    status = serializers.ChoiceField(choices=StoryStatus.choices, required=False)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    error = serializers.CharField(read_only=True, allow_null=True)
    page_id = serializers.CharField(max_length=64)
    facebook_post_id = serializers.CharField(read_only=True, allow_null=True)
    facebook_publish_status = serializers.ChoiceField(choices=StoryStatus.choices, required=False)
    facebook_publish_status_display = serializers.CharField(
        source="get_facebook_publish_status_display", read_only=True
    )
    story_url = serializers.CharField(read_only=True, allow_null=True)
    asset_base64 = serializers.CharField(
        write_only=True,
        required=False,
        trim_whitespace=False,
        help_text="Arquivo em Base64 (imagem JPG/PNG ou vídeo MP4), com ou sem o prefixo data:…;base64,",
    )

    class Meta:
        model = Story
        fields = [
            "id",
            "dealer_id",
            "dealer_name",
            "ad_id",
            "asset",
            "asset_type",
            "asset_type_display",
            "asset_id",
            "user_id",
            "user_name",
            "created_at",
            "published_at",
            "status",
            "status_display",
            "error",
            "page_id",
            "facebook_post_id",
            "facebook_publish_status",
            "facebook_publish_status_display",
            "story_url",
            "asset_base64",
        ]

    @property
    def dealer(self) -> Organization:
        return self.context["dealer"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_asset(self, story: Story) -> str | None:
        request = self.context.get("request")
        base = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
        return story.asset_url(base)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_user_name(self, story: Story) -> str | None:
        return None if story.user is None else story.user.get_full_name() or story.user.get_username()

    def validate_page_id(self, value: str) -> str:
        linked = self.dealer.profiles.filter(platform=Platform.FACEBOOK_PAGE, meta_id=value).exists()
        if not linked:
            raise serializers.ValidationError(f"Page ID '{value}' does not belong to dealer ID '{self.dealer.pk}'")
        return value

    def validate_asset_base64(self, value: str) -> bytes:
        if len(value) > assets.MAX_BASE64_LENGTH:
            raise serializers.ValidationError(_("The file is too large."), code="too_large")
        try:
            return assets.decode(value)
        except assets.Base64Invalid as exc:
            raise Base64Error() from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        content = attrs.pop("asset_base64", None)
        if content is not None:
            asset_type = attrs.get("asset_type", getattr(self.instance, "asset_type", None))
            try:
                attrs["decoded_asset"] = assets.check(content, asset_type, self.context["channel"])
            except assets.AssetRejected as exc:
                raise serializers.ValidationError({"asset_base64": [str(exc)]}) from exc
        elif self.instance is not None and "asset_type" in attrs and attrs["asset_type"] != self.instance.asset_type:
            # The stored file was checked against the old type; a new type needs a new file.
            if self.instance.asset:
                with self.instance.asset.open("rb") as handle:
                    stored = handle.read()
                try:
                    assets.check(stored, attrs["asset_type"], self.context["channel"])
                except assets.AssetRejected as exc:
                    raise serializers.ValidationError({"asset_type": [str(exc)]}) from exc
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Story:
        decoded = validated_data.pop("decoded_asset", None)
        story = Story(
            organization=self.dealer,
            channel=self.context["channel"],
            user=self.context["request"].user,
            **validated_data,
        )
        if decoded is not None:
            story.asset.save(f"story.{decoded.extension}", ContentFile(decoded.content), save=False)
        story.save()
        if story.status == StoryStatus.QUEUED:
            story.queue_publishing()
        return story

    def update(self, story: Story, validated_data: dict[str, Any]) -> Story:
        decoded = validated_data.pop("decoded_asset", None)
        was_queued = story.status == StoryStatus.QUEUED
        # Only what this request changes: the worker may be saving its progress meanwhile.
        changed = set(validated_data)
        for name, value in validated_data.items():
            setattr(story, name, value)
        if decoded is not None:
            changed |= {"asset", "asset_id", "publish_requested_at"}
            old_name = story.asset.name
            story.asset.save(f"story.{decoded.extension}", ContentFile(decoded.content), save=False)
            story.reset_progress()
            if old_name:
                storage = story.asset.storage
                transaction.on_commit(lambda: storage.delete(old_name))
        requeued = story.status == StoryStatus.QUEUED and not was_queued
        if requeued:
            story.reset_progress()
            story.error = None
            changed |= {"error", "asset_id", "publish_requested_at"}
        story.save(update_fields=sorted(changed))
        if requeued or (decoded is not None and story.status == StoryStatus.QUEUED):
            story.queue_publishing()
        return story


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_serializer(many=False)  # already the page: no second pagination wrapper in the schema
class PaginatedStoryListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StorySerializer(many=True)
