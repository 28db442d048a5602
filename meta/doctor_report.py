"""What the go-live doctor (meta.doctor) reports: each check, its status and fix, the credential it
looks at, what the project expects, and the usage Meta reported while it ran."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from meta.conf import graph_host
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid
from meta.ratelimit import _app_percent, _business_percents


class Status(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""
    blocking: bool = False  # a failure that makes the later checks of the same credential meaningless

    @property
    def failed(self) -> bool:
        return self.status == Status.FAIL


@dataclass(frozen=True)
class Target:
    """One stored credential: its token, what it should grant, and the accounts read through it."""

    label: str
    token: str
    kind: str  # "ig_user" (Instagram Login), "page" or "fb_user" (Facebook Login)
    subject_id: str  # the IG account id, the Page id or the Facebook user id
    required_scopes: tuple[str, ...]
    ig_accounts: tuple[str, ...] = ()

    @property
    def instagram_login(self) -> bool:
        return self.kind == "ig_user"

    @property
    def host(self) -> str:
        return graph_host(self.instagram_login)


@dataclass(frozen=True)
class Expectations:
    callback_url: str
    fields_by_object: Mapping[str, frozenset[str]]  # webhook object -> the fields our handlers handle


@dataclass
class UsageRecorder:
    """A client governor that only remembers the highest usage Meta reported (meta.client.UsageGovernor)."""

    app: float | None = None
    business: dict[str, float] = field(default_factory=dict)

    def before_call(self) -> None:
        pass

    def after_response(self, headers: Mapping[str, str], error: MetaError | None) -> None:
        app = _app_percent(headers.get("X-App-Usage"))
        if app is not None:
            self.app = max(self.app or 0.0, app)
        for business_id, percent in _business_percents(headers.get("X-Business-Use-Case-Usage")).items():
            self.business[business_id] = max(self.business.get(business_id, 0.0), percent)


def fix_for(exc: MetaError, reconnect: str = "reconnect the account on the Connections page") -> str:
    """What to do about an error, by Meta's code (reference §8.3)."""
    if isinstance(exc, TokenInvalid):
        return f"the token is no longer valid: {reconnect}"
    if isinstance(exc, PermissionMissing):
        return f"a permission is missing: {reconnect} and grant every permission asked"
    if isinstance(exc, RateLimited):
        return "Meta is throttling the app or the account: wait and run the doctor again"
    return "see Meta's message above; check the app's products and permissions in the App Dashboard"
