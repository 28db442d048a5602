from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FACEBOOK_GRAPH = "graph.facebook.com"
INSTAGRAM_GRAPH = "graph.instagram.com"
INSTAGRAM_API = "api.instagram.com"
FACEBOOK_WWW = "www.facebook.com"
INSTAGRAM_WWW = "www.instagram.com"
RUPLOAD = "rupload.facebook.com"


def graph_host(instagram_login: bool) -> str:
    """The Graph host a token belongs to: Instagram Login tokens fail on graph.facebook.com."""
    return INSTAGRAM_GRAPH if instagram_login else FACEBOOK_GRAPH


def meta_url(sandbox_url: str, host: str, path: str = "") -> str:
    """`https://{host}{path}` at Meta, or the same path under the sandbox's host prefix."""
    path = path if not path or path.startswith("/") else f"/{path}"
    if sandbox_url:
        return f"{sandbox_url.rstrip('/')}/{host}{path}"
    return f"https://{host}{path}"


# meta/ is plain Python: the project hands its settings in once (accounts' AppConfig.ready), and
# each config is read from them when asked for, so a test's override_settings is seen.
_settings: Any = None


def use_settings(source: Any) -> None:
    """Where MetaConfig.from_settings() reads META_* and INSTAGRAM_* from (any object with those attributes)."""
    global _settings
    _settings = source


@dataclass(frozen=True)
class MetaConfig:
    sandbox_url: str
    graph_version: str
    app_id: str
    app_secret: str
    instagram_app_id: str
    instagram_app_secret: str
    timeout: float = 20.0
    retries: int = 3

    @classmethod
    def from_settings(cls, source: Any = None) -> MetaConfig:
        settings = source if source is not None else _settings
        if settings is None:
            raise RuntimeError("meta.conf.use_settings() was not called: pass the settings in")
        return cls(
            sandbox_url=settings.META_SANDBOX_URL,
            graph_version=settings.META_GRAPH_VERSION,
            app_id=settings.META_APP_ID,
            app_secret=settings.META_APP_SECRET,
            instagram_app_id=settings.INSTAGRAM_APP_ID,
            instagram_app_secret=settings.INSTAGRAM_APP_SECRET,
            timeout=settings.META_HTTP_TIMEOUT,
            retries=settings.META_HTTP_RETRIES,
        )

    def url(self, host: str, path: str = "") -> str:
        return meta_url(self.sandbox_url, host, path)

    def graph_url(self, host: str, path: str) -> str:
        return self.url(host, f"/{self.graph_version}/{path.lstrip('/')}")
