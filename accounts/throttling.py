"""Password guessing on /admin/login/ and /api/token/, throttled per account and per IP.

The policy (docs/architecture.md, "Password guessing"), counted over LOGIN_THROTTLE_WINDOW
seconds in Redis through Django's cache:

- an IP with LOGIN_THROTTLE_IP_FAILURES failed logins (any usernames) is refused, whoever it names;
- an IP with LOGIN_THROTTLE_PAIR_FAILURES failures for one username is refused for that username;
- a username with LOGIN_THROTTLE_ACCOUNT_FAILURES failures (from all IPs together) is under
  attack: each IP may then fail for it only LOGIN_THROTTLE_LIMITED_PAIR_FAILURES times.

An IP that has not been failing for a username may always try it, so nobody can lock a known
person out by failing on purpose: the person's correct password, from their own network, still
works; only the failing IPs are refused. A success clears that IP's failures for the username.
Only attempts that reached a password check count: refused ones do not extend the lockout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle


def client_ip(request: Any) -> str:
    """The IP allauth's own login limits use (ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER)."""
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def _key(kind: str, *parts: str) -> str:
    # Hashed: usernames are whatever people type, and keys must stay short and safe.
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


@dataclass(frozen=True)
class Attempt:
    username: str
    ip: str

    @property
    def keys(self) -> dict[str, str]:
        name = self.username.strip().lower()
        return {"ip": _key("ip", self.ip), "pair": _key("pair", name, self.ip), "account": _key("account", name)}

    def failures(self) -> dict[str, int]:
        counts = cache.get_many(list(self.keys.values()))
        return {kind: int(counts.get(key) or 0) for kind, key in self.keys.items()}

    def refused(self) -> bool:
        failures = self.failures()
        under_attack = failures["account"] >= settings.LOGIN_THROTTLE_ACCOUNT_FAILURES
        pair_limit = (
            settings.LOGIN_THROTTLE_LIMITED_PAIR_FAILURES if under_attack else settings.LOGIN_THROTTLE_PAIR_FAILURES
        )
        return failures["ip"] >= settings.LOGIN_THROTTLE_IP_FAILURES or failures["pair"] >= pair_limit

    def failed(self) -> None:
        for key in self.keys.values():
            # The window starts at the first failure; add() keeps it from being reset by later ones.
            cache.add(key, 0, timeout=settings.LOGIN_THROTTLE_WINDOW)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.LOGIN_THROTTLE_WINDOW)

    def succeeded(self) -> None:
        cache.delete(self.keys["pair"])


def attempt_of(request: Any, username: Any) -> Attempt | None:
    return Attempt(username, client_ip(request)) if isinstance(username, str) and username else None


@receiver(user_login_failed)
def count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    attempt = attempt_of(request, credentials.get("username")) if request is not None else None
    if attempt is not None:
        attempt.failed()


@receiver(user_logged_in)
def clear_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    attempt = attempt_of(request, user.get_username()) if request is not None else None
    if attempt is not None:
        attempt.succeeded()


def throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A login view (the admin's) that answers 429 to a POST the policy refuses, before any password check."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attempt = attempt_of(request, request.POST.get("username")) if request.method == "POST" else None
        if attempt is None or not attempt.refused():
            return view(request, *args, **kwargs)
        minutes = max(1, settings.LOGIN_THROTTLE_WINDOW // 60)
        response = render(request, "accounts/login_throttled.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(settings.LOGIN_THROTTLE_WINDOW)
        return response

    return wrapper


class LoginThrottle(BaseThrottle):
    """For DRF views that take a username and password (the Story API's /api/token/); the 429's
    body is DRF's, in the view's language."""

    def allow_request(self, request: Any, view: Any) -> bool:
        username = request.data.get("username") if hasattr(request.data, "get") else None
        attempt = attempt_of(request, username)
        return attempt is None or not attempt.refused()

    def wait(self) -> float:
        return float(settings.LOGIN_THROTTLE_WINDOW)
