"""The floor of the webhook-ingest comparison: a WSGI app that reads the body and answers 200,
served by the same gunicorn configuration as the endpoint (bench/webhook_ingest.py --compare)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    # GET: the bench's readiness probe is Meta's verification handshake; echo the challenge.
    body = parse_qs(environ.get("QUERY_STRING", "")).get("hub.challenge", ["ok"])[0].encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
