"""POST /webhooks/meta/ answered in the WSGI application, before Django's request cycle.

Meta's deliveries are most of the web process's requests, and none of them needs what Django's
handler and middleware do for a page: sessions, authentication, CSRF (the view is exempt),
messages, the viewer's language and time zone, static files. Building a request, running twelve
middleware and resolving the URL cost more CPU than verifying and storing the delivery
(docs/webhooks.md, Throughput). So `LeanWebhookPath` wraps the Django application served by
gunicorn (socialdatalab/wsgi.py) and answers these POSTs itself, through the same
`webhooks.ingest.accept` as the view: same checks, same INSERT before the answer, same queue.

It only takes a request that Django would have let through to the view unchanged: a POST to
the exact path with a Content-Length, a Host that ALLOWED_HOSTS accepts, and HTTPS (or the
proxy's header saying so) when SECURE_SSL_REDIRECT is on. Anything else goes to Django, which answers it as before
(400 for a bad Host, 301 to HTTPS, 405 for other methods, the GET handshake). Its answers
carry the security headers the middleware would have added (tests/webhooks/test_lean_path.py
compares them with Django's).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http.request import split_domain_port, validate_host

from socialdatalab.middleware import ContentSecurityPolicyMiddleware
from webhooks.ingest import MAX_BODY_BYTES, accept

logger = logging.getLogger(__name__)
PATH = "/webhooks/meta/"
STATUS_LINES = {
    200: "200 OK",
    400: "400 Bad Request",
    403: "403 Forbidden",
    413: "413 Request Entity Too Large",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
KNOWN_HOSTS_KEPT = 64  # Host values already validated, kept so each is checked once


def security_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers SecurityMiddleware, XFrameOptionsMiddleware and our CSP middleware add to an
    answer of this view, from the same settings."""
    headers = []
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        sts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        sts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append(("Strict-Transport-Security", sts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        values = policy.split(",") if isinstance(policy, str) else policy
        headers.append(("Referrer-Policy", ",".join(value.strip() for value in values)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS.upper()))
    headers.append(("Content-Security-Policy", ContentSecurityPolicyMiddleware(lambda request: None).policy))
    return headers


def content_length(environ: dict[str, Any]) -> int | None:
    """The declared body length; None when there is none to trust (chunked, or not a number):
    such a request is Django's to read."""
    value = environ.get("CONTENT_LENGTH", "")
    return int(value) if value.isdigit() else None


class LeanWebhookPath:
    """WSGI application: Meta's signed POSTs answered here, every other request by `django_app`."""

    def __init__(self, django_app: Callable[..., Iterable[bytes]]) -> None:
        self.django_app = django_app
        self.known_hosts: set[str] = set()
        self.headers = {secure: [("Content-Type", "text/html; charset=utf-8"), *security_headers(secure)]
                        for secure in (False, True)}  # fmt: skip
        self.proxy_header = settings.SECURE_PROXY_SSL_HEADER

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.django_app(environ, start_response)
        length, secure = content_length(environ), self.is_secure(environ)
        if length is None or (settings.SECURE_SSL_REDIRECT and not secure) or not self.host_allowed(environ):
            return self.django_app(environ, start_response)
        status = self.answer(environ, length)
        start_response(STATUS_LINES[status], [*self.headers[secure], ("Content-Length", "0")])
        return [b""]

    def answer(self, environ: dict[str, Any], length: int) -> int:
        """The delivery's status. The database connection is looked after as Django's
        request_finished signal would: closed when too old or broken (outside a transaction:
        a test's, in the suite, is its owner's)."""
        try:
            if length > MAX_BODY_BYTES:
                return 413
            return accept(environ["wsgi.input"].read(length), environ.get("HTTP_X_HUB_SIGNATURE_256"))
        except Exception:  # what Django's handler would turn into a logged 500
            logger.exception("webhook delivery failed in the lean path")
            return 500
        finally:
            connection = connections["default"]
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()

    def is_secure(self, environ: dict[str, Any]) -> bool:
        """HttpRequest.is_secure(), from the WSGI environ."""
        if self.proxy_header:
            header, secure_value = self.proxy_header
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    def host_allowed(self, environ: dict[str, Any]) -> bool:
        """Whether HttpRequest.get_host() would accept the request's Host (checked once per value);
        without a Host header the request is Django's to judge."""
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        else:
            host = environ.get("HTTP_HOST")
        if host is None:
            return False
        if host in self.known_hosts:
            return True
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        domain, _port = split_domain_port(host)
        if not (domain and validate_host(domain, allowed)):
            return False
        if len(self.known_hosts) < KNOWN_HOSTS_KEPT:
            self.known_hosts.add(host)
        return True
