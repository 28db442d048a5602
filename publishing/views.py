"""The Story API (contract seeds/003): /social-media/{facebook,instagram}/story/{dealer_id}[/{id}]."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenObtainPairView
from rest_framework_simplejwt.views import TokenRefreshView as BaseTokenRefreshView

from accounts.models import Organization
from accounts.throttling import LoginThrottle
from publishing import results
from publishing.authentication import ClientJWTAuthentication
from publishing.models import Channel, Story
from publishing.pagination import StoryPagination
from publishing.parsers import StoryJSONParser
from publishing.permissions import CanManageDealer
from publishing.schema import ERROR_400, story_schemas
from publishing.serializers import DetailSerializer, StoryInsightsSerializer, StorySerializer
from publishing.tasks import collect_story_insights

PG_BIGINT_MAX = 2**63 - 1
MISSING_DEALER = "Parâmetro ID da Loja não encontrado"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 255


def parse_id(value: str | None) -> int | None:
    """A path id as an int, or None when it cannot name a row (not digits, or past bigint)."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= PG_BIGINT_MAX else None


class ContractAPIView(APIView):
    """The contract's clients read DRF's messages in Brazilian Portuguese, whatever they send."""

    authentication_classes = [ClientJWTAuthentication]
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        translation.activate("pt-br")
        request.LANGUAGE_CODE = "pt-br"
        super().initial(request, *args, **kwargs)


class StoryViewSet(ContractAPIView, viewsets.ModelViewSet):
    serializer_class = StorySerializer
    pagination_class = StoryPagination
    parser_classes = [StoryJSONParser]
    permission_classes = [IsAuthenticated, CanManageDealer]
    lookup_url_kwarg = "id"
    channel: str = Channel.FACEBOOK
    dealer: Organization

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.dealer_pk = parse_id(kwargs.get("dealer_id"))
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Story]:
        return (
            Story.objects.filter(organization=self.dealer, channel=self.channel)
            .select_related("organization", "user")
            .prefetch_related("publications")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """With an Idempotency-Key, a repeated POST answers the first story instead of a second one."""
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > MAX_IDEMPOTENCY_KEY:
            raise exceptions.ParseError(_("The Idempotency-Key header is longer than 255 characters."))
        if key and (first := self.get_queryset().filter(idempotency_key=key).first()) is not None:
            return self._replay(first)
        try:
            with transaction.atomic():
                return super().create(request, *args, **kwargs)
        except IntegrityError:  # the same key, sent twice at once: the other request created it
            if not key:
                raise
            return self._replay(self.get_queryset().get(idempotency_key=key))

    def _replay(self, story: Story) -> Response:
        return Response(self.get_serializer(story).data, status=201, headers={"Idempotent-Replayed": "true"})

    def get_object(self) -> Story:
        # The contract's plain "Não encontrado.", not DRF's "No Story matches the given query."
        if parse_id(self.kwargs.get("id")) is None:
            raise exceptions.NotFound()
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound() from None

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["channel"] = self.channel
        context["idempotency_key"] = self.request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if hasattr(self, "dealer"):
            context["dealer"] = self.dealer
        return context

    def perform_destroy(self, instance: Story) -> None:
        name, storage = instance.asset.name, instance.asset.storage
        instance.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


@extend_schema_view(**{action: extend_schema(**spec) for action, spec in story_schemas("Facebook").items()})
class FacebookStoryViewSet(StoryViewSet):
    """Stories of the dealer's Facebook Pages."""

    channel = Channel.FACEBOOK


@extend_schema_view(**{action: extend_schema(**spec) for action, spec in story_schemas("Instagram").items()})
class InstagramStoryViewSet(StoryViewSet):
    """Stories of the Instagram professional accounts linked to the dealer's Facebook Pages."""

    channel = Channel.INSTAGRAM


class StoryInsightsView(ContractAPIView):
    """What Meta reports for a published story, each value with its source; refreshed while it lives."""

    permission_classes = [IsAuthenticated, CanManageDealer]
    channel: str = Channel.FACEBOOK

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.dealer_pk = parse_id(kwargs.get("dealer_id"))
        super().initial(request, *args, **kwargs)

    @extend_schema(
        tags=["Insights"],
        responses={200: StoryInsightsSerializer, 401: DetailSerializer, 403: DetailSerializer, 404: DetailSerializer},
    )
    def get(self, request: Request, dealer_id: str, id: str) -> Response:
        story_pk = parse_id(id)
        story = Story.objects.filter(organization=self.dealer, channel=self.channel, pk=story_pk).first()
        if story is None:
            raise exceptions.NotFound()
        if results.needs_refresh(story):
            transaction.on_commit(lambda: collect_story_insights.delay(story.pk))
        return Response(StoryInsightsSerializer(story).data)


class FacebookStoryInsightsView(StoryInsightsView):
    channel = Channel.FACEBOOK


class InstagramStoryInsightsView(StoryInsightsView):
    channel = Channel.INSTAGRAM


@extend_schema(exclude=True)
class MissingDealerView(ContractAPIView):
    """`/social-media/facebook/story/` without a dealer: the contract's 400."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.ParseError(MISSING_DEALER)


@extend_schema(
    tags=["Autenticação"],
    # 429: too many wrong passwords from this address (accounts.throttling.LoginThrottle).
    responses={200: TokenObtainPairSerializer, 400: ERROR_400, 401: DetailSerializer, 429: DetailSerializer},
)
class TokenObtainView(TokenObtainPairView):
    """Username and password → an access and a refresh token (simplejwt)."""

    authentication_classes: list[type] = []  # public: this is where a token is had
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]


@extend_schema(tags=["Autenticação"], responses={200: TokenRefreshSerializer, 400: ERROR_400, 401: DetailSerializer})
class TokenRefreshView(BaseTokenRefreshView):
    """A refresh token → a new access token."""

    authentication_classes: list[type] = []  # public: the refresh token in the body is the proof
    permission_classes = [AllowAny]
