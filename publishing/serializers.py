from __future__ import annotations

from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers

from accounts.models import Organization
from collector.models import Platform
from publishing import assets, queueing
from publishing.models import AssetType, Story, StoryInsight, StoryPublication, StoryStatus
from publishing.upload import StreamedAsset

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


@extend_schema_field(serializers.CharField())
class Base64AssetField(serializers.Field):
    """`asset_base64`, already decoded to a temporary file by StoryJSONParser as the body streamed in."""

    default_error_messages = {"invalid": _lazy("Not a valid string."), "too_large": _lazy("The file is too large.")}

    def to_internal_value(self, data: Any) -> StreamedAsset:
        if not isinstance(data, StreamedAsset):  # the parser streams every string: this is a number, a list…
            self.fail("invalid")
        if data.invalid:
            raise Base64Error()
        if data.too_large:
            self.fail("too_large")
        return data


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
    asset_base64 = Base64AssetField(
        write_only=True,
        required=False,
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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        streamed: StreamedAsset | None = attrs.pop("asset_base64", None)
        channel = self.context["channel"]
        if streamed is not None:
            asset_type = attrs.get("asset_type", getattr(self.instance, "asset_type", None))
            try:
                extension = assets.check(streamed.head(16), streamed.size, asset_type, channel)
            except assets.AssetRejected as exc:
                raise serializers.ValidationError({"asset_base64": [str(exc)]}) from exc
            attrs["new_asset"] = (File(streamed.file), extension)
        elif self.instance is not None and "asset_type" in attrs and attrs["asset_type"] != self.instance.asset_type:
            # The stored file was checked against the old type; a new type needs a new file.
            if self.instance.asset:
                with self.instance.asset.open("rb") as handle:
                    head = handle.read(16)
                try:
                    assets.check(head, self.instance.asset.size, attrs["asset_type"], channel)
                except assets.AssetRejected as exc:
                    raise serializers.ValidationError({"asset_type": [str(exc)]}) from exc
        return attrs

    def to_representation(self, story: Story) -> dict[str, Any]:
        data = super().to_representation(story)
        # Only a republished story carries `history`: the contract's examples stay as they are.
        earlier = list(story.publications.all()) if story.pk else []
        if earlier:
            data["history"] = [publication_json(item) for item in earlier]
        return data

    def create(self, validated_data: dict[str, Any]) -> Story:
        new_asset = validated_data.pop("new_asset", None)
        request = self.context["request"]
        story = Story(
            organization=self.dealer,
            channel=self.context["channel"],
            user=request.user,
            api_client=getattr(request, "api_client", None),
            idempotency_key=self.context.get("idempotency_key", ""),
            **validated_data,
        )
        if new_asset is not None:
            story.asset.save(f"story.{new_asset[1]}", new_asset[0], save=False)
        story.save()
        if story.status == StoryStatus.QUEUED:
            queueing.queue_publishing(story)
        return story

    def update(self, story: Story, validated_data: dict[str, Any]) -> Story:
        new_asset = validated_data.pop("new_asset", None)
        was = story.status
        # Only what this request changes: the worker may be saving its progress meanwhile.
        changed = set(validated_data)
        for name, value in validated_data.items():
            setattr(story, name, value)
        if new_asset is not None:
            changed.add("asset")
            old_name = story.asset.name
            story.asset.save(f"story.{new_asset[1]}", new_asset[0], save=False)
            if old_name:
                storage = story.asset.storage
                transaction.on_commit(lambda: storage.delete(old_name))
        republish = story.status == StoryStatus.QUEUED and (was != StoryStatus.QUEUED or new_asset is not None)
        if republish:
            # A new publication: the old one goes to the history, its ids are not reused.
            changed |= {"error", "facebook_publish_status", *story.archive_publication()}
            story.error = None
            story.facebook_publish_status = StoryStatus.QUEUED
        elif new_asset is not None:
            story.reset_progress()
            changed |= {"asset_id", "publish_requested_at"}
        story.save(update_fields=sorted(changed))
        if republish:
            queueing.queue_publishing(story)
        return story


def publication_json(item: StoryPublication) -> dict[str, Any]:
    return {
        "asset_type": item.asset_type,
        "asset_id": item.asset_id,
        "facebook_post_id": item.facebook_post_id,
        "story_url": item.story_url,
        "published_at": item.published_at.astimezone(UTC).strftime(TIMESTAMP_FORMAT) if item.published_at else None,
        "replaced_at": item.replaced_at.astimezone(UTC).strftime(TIMESTAMP_FORMAT),
    }


class StoryInsightSerializer(serializers.ModelSerializer):
    collected_at = Timestamp()

    class Meta:
        model = StoryInsight
        fields = ["value", "breakdown", "source", "collected_at"]


class StoryInsightsSerializer(serializers.Serializer):
    """`metrics` maps each metric (reach, views, replies, navigation…) to its value and provenance."""

    id = serializers.IntegerField(read_only=True)
    facebook_post_id = serializers.CharField(read_only=True, allow_null=True)
    published_at = Timestamp(allow_null=True)
    metrics = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=StoryInsightSerializer()))
    def get_metrics(self, story: Story) -> dict[str, Any]:
        current = story.insights.filter(facebook_post_id=story.facebook_post_id or "")
        return {item.metric: StoryInsightSerializer(item).data for item in current}


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_serializer(many=False)  # already the page: no second pagination wrapper in the schema
class PaginatedStoryListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StorySerializer(many=True)
