"""Request and response values passed between the HTTP handler and the route modules."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode


@dataclass
class Request:
    method: str
    host: str  # the mirrored Meta host, e.g. "graph.facebook.com"
    path: str  # path after the host prefix, starting with "/"
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    base: str = "http://127.0.0.1"  # scheme://Host of the request, for absolute URLs
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    json: Any = None

    def params(self) -> dict[str, str]:
        """Query, form and JSON-object body merged (body wins)."""
        out = dict(self.query)
        out.update(self.form)
        if isinstance(self.json, dict):
            out.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in self.json.items()})
        return out

    def url(self, path: str, query: dict[str, str] | None = None) -> str:
        q = f"?{urlencode(query)}" if query else ""
        return f"{self.base}/{self.host}{path}{q}"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=UTF-8"


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data).encode()
    return Response(status=status, body=body, headers=dict(headers or {}))


def html_response(html: str, status: int = 200) -> Response:
    return Response(status=status, body=html.encode(), content_type="text/html; charset=utf-8")


def redirect(location: str) -> Response:
    return Response(status=302, headers={"Location": location}, content_type="text/plain")


def parse_body(req: Request) -> None:
    """Fill req.form / req.files / req.json from the raw body according to its content type."""
    ctype = req.headers.get("content-type", "")
    if not req.body:
        return
    if ctype.startswith("application/x-www-form-urlencoded"):
        req.form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
    elif ctype.startswith("application/json"):
        try:
            req.json = json.loads(req.body)
        except ValueError:
            req.json = None
    elif ctype.startswith("multipart/form-data") and "boundary=" in ctype:
        boundary = ctype.split("boundary=", 1)[1].split(";")[0].strip().strip('"')
        _parse_multipart(req, boundary.encode())


def _parse_multipart(req: Request, boundary: bytes) -> None:
    for part in req.body.split(b"--" + boundary):
        part = part.strip(b"\r\n")
        if not part or part == b"--" or b"\r\n\r\n" not in part:
            continue
        head, _, content = part.partition(b"\r\n\r\n")
        disposition = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                disposition = line
        attrs: dict[str, str] = {}
        for item in disposition.split(";")[1:]:
            key, _, value = item.strip().partition("=")
            attrs[key] = value.strip('"')
        name = attrs.get("name", "")
        if "filename" in attrs:
            req.files[name] = content
        else:
            req.form[name] = content.decode("utf-8", "replace")
