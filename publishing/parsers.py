from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import BaseParser

from publishing.assets import MAX_BASE64_LENGTH

MAX_BODY_BYTES = MAX_BASE64_LENGTH + 64 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The file is too large.")
    default_code = "payload_too_large"


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


class StoryJSONParser(BaseParser):
    """JSON bodies big enough for a story video in base64.

    DRF's JSONParser reads through `request.body`, capped for every view by
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): too small for a 10 MB photo once base64-encoded.
    This parser serves the Story API alone and reads the stream up to Meta's asset limits.
    """

    media_type = "application/json"

    def parse(
        self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
