"""A webhook from the sandbox verifies with the documented secret; a signed_request round-trips."""

import http.server
import threading

from django.conf import settings

from meta.signing import make_signed_request, parse_signed_request, verify_signature


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[bytes, str | None]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers.get("X-Hub-Signature-256")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_webhook_from_the_sandbox_verifies_with_the_documented_secret(sandbox):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sandbox.send_webhook(f"http://127.0.0.1:{server.server_port}/", "comments", account="ifma.saoluis")
    finally:
        server.shutdown()

    body, signature = _Recorder.received[-1]
    assert verify_signature(body, signature, [settings.INSTAGRAM_APP_SECRET])
    assert not verify_signature(body, signature, ["another-secret"])
    assert not verify_signature(body + b" ", signature, [settings.INSTAGRAM_APP_SECRET])


def test_a_signed_request_verifies_only_with_its_secret():
    signed = make_signed_request({"algorithm": "HMAC-SHA256", "user_id": "218471"}, "app-secret")

    assert parse_signed_request(signed, ["other", "app-secret"]) == {"algorithm": "HMAC-SHA256", "user_id": "218471"}
    assert parse_signed_request(signed, ["other"]) is None
    assert parse_signed_request("garbage", ["app-secret"]) is None
