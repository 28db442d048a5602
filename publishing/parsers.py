from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.parsers import BaseParser

from publishing import upload
from publishing.assets import MAX_BASE64_LENGTH, VIDEO_LIMIT

MAX_BODY_BYTES = MAX_BASE64_LENGTH + 64 * 1024
STREAMED = json.loads(upload.PLACEHOLDER)


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("The file is too large.")
    default_code = "payload_too_large"


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def declared_length(parser_context: Mapping[str, Any] | None) -> int | None:
    request = (parser_context or {}).get("request")
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else None
    except ValueError:
        return None


class StoryJSONParser(BaseParser):
    """JSON bodies big enough for a story video in base64, read in bounded memory.

    DRF's JSONParser reads through `request.body`, capped for every view by
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and held whole. This parser serves the Story API
    alone: a declared Content-Length over the cap is refused before a byte is read, and the
    asset is decoded to a temporary file as it arrives (publishing/upload.py).
    """

    media_type = "application/json"

    def parse(
        self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        if (declared_length(parser_context) or 0) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        try:
            rest, asset = upload.read_body(stream, MAX_BODY_BYTES, VIDEO_LIMIT) if stream else (b"", None)
        except upload.BodyTooLarge as exc:
            raise PayloadTooLarge() from exc
        try:
            data = json.loads(rest.decode("utf-8"), parse_constant=_reject_constant)
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(_("The body is not UTF-8 text.")) from exc
        except json.JSONDecodeError as exc:
            detail = _("Invalid JSON at line %(line)d, column %(column)d.") % {"line": exc.lineno, "column": exc.colno}
            raise exceptions.ParseError(detail) from exc
        except ValueError as exc:  # NaN, Infinity
            raise exceptions.ParseError(_("Invalid JSON: NaN and Infinity are not numbers JSON allows.")) from exc
        if isinstance(data, dict) and asset is not None and data.get("asset_base64") == STREAMED:
            data["asset_base64"] = asset
        return data
