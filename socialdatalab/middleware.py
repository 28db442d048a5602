from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Every script, style and chart is served by the app itself: no inline code, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self' https:"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = CONTENT_SECURITY_POLICY
        # Meta's consent pages and pictures are https:; the local sandbox plays them over plain http,
        # and browsers apply form-action to the login's redirect to the consent page.
        sandbox = urlsplit(settings.META_SANDBOX_URL)
        if sandbox.scheme == "http" and sandbox.netloc:
            origin = f"http://{sandbox.netloc}"
            self.policy = self.policy.replace("form-action 'self' https:", f"form-action 'self' https: {origin}")
            self.policy = self.policy.replace("img-src 'self' data: https:", f"img-src 'self' data: https: {origin}")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
