"""The one way the project talks to Meta.

One requests.Session per process, timeouts on every call, retries with backoff and jitter on
transient failures, Meta's error JSON turned into typed exceptions (meta.errors), a paging
iterator that streams pages, and batch requests. The token travels in the Authorization
header, never in a URL we build, so it cannot leak into access logs.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import requests

from meta.conf import FACEBOOK_GRAPH, MetaConfig
from meta.errors import MetaError, RateLimited, TransientError, error_from_response

logger = logging.getLogger(__name__)
BATCH_LIMIT = 50
_session: requests.Session | None = None


def session() -> requests.Session:
    global _session
    if _session is None:
        _session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=16)
        _session.mount("http://", adapter)
        _session.mount("https://", adapter)
    return _session


class UsageGovernor(Protocol):
    """Consulted before each call and told about each response (meta.ratelimit implements it)."""

    def before_call(self) -> None: ...

    def after_response(self, headers: Mapping[str, str], error: MetaError | None) -> None: ...


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 8.0) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
    return random.uniform(0, min(cap, base * 2**attempt))


def _decode(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class GraphClient:
    """Calls on one Graph host with one access token.

    `host` is graph.facebook.com (Facebook Login, Page tokens) or graph.instagram.com
    (Instagram Login tokens). Paths are relative to the pinned Graph version.
    """

    def __init__(
        self,
        access_token: str,
        *,
        host: str = FACEBOOK_GRAPH,
        config: MetaConfig | None = None,
        governor: UsageGovernor | None = None,
    ) -> None:
        self.access_token = access_token
        self.host = host
        self.config = config or MetaConfig.from_settings()
        self.governor = governor
        self.calls = 0

    def __repr__(self) -> str:  # never show the token
        return f"<GraphClient {self.host} …{self.access_token[-4:]}>"

    # -- plain calls ---------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", self.config.graph_url(self.host, path), params=params)

    def post(
        self,
        path: str,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
    ) -> Any:
        return self.request("POST", self.config.graph_url(self.host, path), data=data, files=files)

    def delete(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("DELETE", self.config.graph_url(self.host, path), params=params)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | bytes | None = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        authorization: str = "Bearer",
    ) -> Any:
        """One call, retried on transient failures; returns the decoded JSON or raises MetaError."""
        all_headers = {"Authorization": f"{authorization} {self.access_token}", **(headers or {})}
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            if self.governor is not None:
                self.governor.before_call()
            try:
                return self._send(method, url, params, data, files, all_headers)
            except TransientError as exc:
                if attempt + 1 >= attempts:
                    raise
                delay = backoff_delay(attempt)
                logger.info("Meta transient error on %s %s (%s); retry in %.1fs", method, self.host, exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        data: Mapping[str, Any] | bytes | None,
        files: Mapping[str, Any] | None,
        headers: Mapping[str, str],
    ) -> Any:
        self.calls += 1
        try:
            response = session().request(
                method, url, params=params, data=data, files=files, headers=headers, timeout=self.config.timeout
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientError(f"{type(exc).__name__} talking to {self.host}") from exc
        body = _decode(response)
        error = None
        if response.status_code >= 400 or (isinstance(body, dict) and "error" in body):
            error = error_from_response(response.status_code, body, regain_seconds(response.headers))
        if self.governor is not None:
            self.governor.after_response(response.headers, error)
        if error is not None:
            raise error
        return body

    # -- paging ---------------------------------------------------------------------------
    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Yield each raw page (`{"data": [...], "paging": {...}}`), following `paging.next`."""
        page = self.get(path, params)
        while True:
            yield page
            next_url = (page.get("paging") or {}).get("next")
            if not next_url or not page.get("data"):
                return
            page = self.request("GET", next_url)

    # -- batch ----------------------------------------------------------------------------
    def batch(self, operations: list[dict[str, Any]]) -> list[Any]:
        """Run up to 50 operations in one call on graph.facebook.com.

        Each result is the decoded body, a MetaError for a failed operation, or None for an
        operation Meta did not finish (retry it).
        """
        if len(operations) > BATCH_LIMIT:
            raise ValueError(f"a batch holds at most {BATCH_LIMIT} operations")
        url = self.config.url(FACEBOOK_GRAPH, f"/{self.config.graph_version}/")
        form = {"batch": json.dumps(operations), "include_headers": "false", "access_token": self.access_token}
        raw = self.request("POST", url, data=form)
        results: list[Any] = []
        for item in raw:
            if item is None:
                results.append(None)
                continue
            body = json.loads(item.get("body") or "null")
            code = int(item.get("code", 200))
            results.append(error_from_response(code, body) if code >= 400 else body)
        return results


def regain_seconds(headers: Mapping[str, str]) -> float | None:
    """Meta's estimated_time_to_regain_access (minutes) from X-Business-Use-Case-Usage, in seconds."""
    raw = headers.get("X-Business-Use-Case-Usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes = [
        float(entry.get("estimated_time_to_regain_access") or 0)
        for entries in usage.values()
        for entry in (entries if isinstance(entries, list) else [])
    ]
    return max(minutes, default=0) * 60 or None


__all__ = ["GraphClient", "MetaError", "RateLimited", "TransientError", "backoff_delay", "regain_seconds"]
