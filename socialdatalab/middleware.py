from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from insights.views import viewer_zone

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


class ViewerTimezoneMiddleware:
    """Every page shows times in the viewer's time zone (the tz cookie static/js/timezone.js sets),
    not only the insights pages: the invite expiry, the deletion date and the rest read the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(viewer_zone(request))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
