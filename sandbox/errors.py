"""Meta's error envelopes."""

from __future__ import annotations

import random
import string
from typing import Any


def fbtrace_id() -> str:
    return "".join(random.choices(string.ascii_letters + string.digits, k=11))


class GraphError(Exception):
    """A Graph API error; rendered as {"error": {...}} with HTTP 400 by default."""

    def __init__(
        self,
        code: int,
        message: str,
        subcode: int | None = None,
        type_: str = "OAuthException",
        status: int = 400,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.subcode = subcode
        self.type = type_
        self.status = status
        self.extra = extra

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            err["error_subcode"] = self.subcode
        err.update(self.extra)
        err["fbtrace_id"] = fbtrace_id()
        return {"error": err}


class OAuthError(Exception):
    """The api.instagram.com shape: {"error_type","code","error_message"}."""

    def __init__(self, message: str, code: int = 400, error_type: str = "OAuthException") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.error_type = error_type

    def body(self) -> dict[str, Any]:
        return {"error_type": self.error_type, "code": self.code, "error_message": self.message}


def cannot_parse() -> GraphError:
    return GraphError(190, "Invalid OAuth access token - Cannot parse access token")


def token_required() -> GraphError:
    return GraphError(104, "An access token is required to request this resource.")


def no_object(obj_id: str, method: str = "get") -> GraphError:
    return GraphError(
        100,
        f"Unsupported {method} request. Object with ID '{obj_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read "
        "the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33,
        type_="GraphMethodException",
    )


def no_field(field: str, node_type: str) -> GraphError:
    return GraphError(100, f"(#100) Tried accessing nonexisting field ({field}) on node type ({node_type})")


def missing_param(name: str) -> GraphError:
    return GraphError(100, f"(#100) The parameter {name} is required")


def permission(scope: str) -> GraphError:
    return GraphError(10, f"(#10) Application does not have permission for this action ({scope})")


def unsupported_metric(metrics: list[str]) -> GraphError:
    """Meta names every unsupported metric of the request, comma-separated, in one message."""
    return GraphError(
        100,
        f"(#100) The Media Insights API does not support the {', '.join(metrics)} metric for this media product type.",
    )
