"""HTTP server: routes each request by the Meta host named in its first path segment."""

from __future__ import annotations

import re
import struct
import sys
import traceback
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from . import control, graph, oauth, publishing, stories
from .persist import Persister
from .state import State
from .web import Request, Response, html_response, json_response, parse_body, redirect

DIALOG = re.compile(r"^/(v\d+\.\d+/)?dialog/oauth/?$")


def _png(rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def dispatch(state: State, req: Request) -> Response:
    host, path = req.host, req.path
    if host in ("graph.facebook.com", "graph.instagram.com"):
        return graph.handle(state, req)
    if host == "_sandbox":
        return control.handle(state, req)
    if host == "api.instagram.com" and path.rstrip("/") == "/oauth/access_token":
        with state.lock:
            state.usage.record(f"{req.method} api.instagram.com /oauth/access_token", None, None)
        return oauth.ig_code_exchange(state, req)
    if host == "www.instagram.com" and path.rstrip("/") == "/oauth/authorize":
        return oauth.consent(state, req, "instagram")
    if host == "api.instagram.com" and path.rstrip("/") == "/oauth/authorize":
        return oauth.consent(state, req, "instagram")
    if host == "www.facebook.com" and DIALOG.match(path):
        return oauth.consent(state, req, "facebook")
    if host == "rupload.facebook.com":
        kind = path.strip("/").split("/")[0]
        with state.lock:
            state.usage.record(f"{req.method} rupload.facebook.com /{kind}", None, None)
        return publishing.rupload(state, req)
    if host in ("scontent.cdninstagram.com", "scontent.xx.fbcdn.net"):
        with state.lock:
            refusal = stories.cdn_refusal(state, req.query)
        if refusal is not None:
            return Response(body=refusal, content_type="text/plain", status=403)
        seed = sum(path.encode()) % 200
        body = _png((30 + seed, 120, 80 + seed // 2))
        return Response(body=body, content_type="image/png")
    if host in ("www.instagram.com", "www.facebook.com"):
        return html_response(f"<!doctype html><title>Sandbox</title><p>Sandbox page for {host}{path}</p>")
    if host == "":
        return redirect("/_sandbox/")
    return json_response(
        {"error": {"message": f"Unknown sandbox host {host!r}", "type": "SandboxError", "code": 1}}, 404
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MetaSandbox/1.0"
    state: State
    persister: Persister | None = None

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self) -> None:
        url = urlsplit(self.path)
        segments = url.path.split("/", 2)
        host = segments[1] if len(segments) > 1 else ""
        rest = "/" + (segments[2] if len(segments) > 2 else "")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(
            method=self.command,
            host=host,
            path=rest,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            base=f"http://{self.headers.get('Host') or '127.0.0.1'}",
        )
        try:
            parse_body(req)
            resp = dispatch(self.state, req)
        except Exception as exc:  # noqa: BLE001 - a bug in the sandbox: say so loudly
            traceback.print_exc(file=sys.stderr)
            resp = json_response(
                {"error": {"message": f"sandbox internal error: {exc!r}", "type": "SandboxError", "code": 1}}, 500
            )
        try:
            self._send(resp)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller went away (stopped mid-request): nothing to answer
        if self.persister is not None:
            self.persister.touch()

    def _send(self, resp: Response) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    persister: Persister | None = None


def make_server(host: str, port: int, seed: int, state_file: Path | None = None) -> SandboxServer:
    """A sandbox; with `state_file`, its state is loaded from there and kept there (in memory otherwise)."""
    state = State(seed)
    persister = Persister(state, state_file) if state_file else None
    if persister:
        persister.load()
        persister.start()
    stories.ticker(state)
    handler = type("SandboxHandler", (Handler,), {"state": state, "persister": persister})
    server = SandboxServer((host, port), handler)
    server.persister = persister
    return server
