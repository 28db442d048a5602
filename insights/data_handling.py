"""Meta's data-handling questions ("Tratamento de dados"), answered from this deployment's settings.

Nothing here is typed by hand for one server: the database engine and host, the broker, the key
count, the hosting and the retention periods are read when the page is shown, so the answers change
with the deployment. Secrets (passwords, keys, tokens) are never read into the page: only counts and
host names.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import PeriodicTask

from accounts.models import RETENTION_DEFAULTS, Organization

ENGINES = {"postgresql": "PostgreSQL", "sqlite3": "SQLite", "mysql": "MySQL"}


@dataclass(frozen=True)
class Storage:
    database: str
    database_host: str
    broker_host: str
    files: str


@dataclass(frozen=True)
class Retention:
    name: str | Promise
    webhook_body: int
    message: int
    comment: int


def storage() -> Storage:
    db = settings.DATABASES["default"]
    engine = ENGINES.get(db["ENGINE"].rsplit(".", 1)[-1], db["ENGINE"])
    if engine == "SQLite":
        host = str(_("a file on the application server"))
    else:
        host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or '—'}"
    broker = urlsplit(settings.REDIS_URL)  # hostname and port only: the URL may carry a password
    broker_host = "—" if settings.EMBEDDED_BROKER else f"{broker.hostname}:{broker.port or 6379}"
    files = settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return Storage(engine, host, broker_host, files)


def token_key_count() -> int:
    return len(settings.TOKEN_ENCRYPTION_KEYS)


def retention_for(organizations: list[Organization]) -> list[Retention]:
    """The person's organisations' periods; signed out, the defaults every new organisation gets."""
    if not organizations:
        return [Retention(_("Default for new organizations"), *RETENTION_DEFAULTS.values())]
    return [
        Retention(o.name, o.webhook_body_retention_days, o.message_retention_days, o.comment_retention_days)
        for o in organizations
    ]


def retention_schedule() -> str:
    """When the clean-up runs, as its beat schedule says (editable in the admin)."""
    task = PeriodicTask.objects.filter(task="insights.retention.apply_retention", enabled=True).first()
    if task is None or task.crontab is None:
        return str(_("not scheduled"))
    return f"{task.crontab.hour}:{task.crontab.minute:0>2} {task.crontab.timezone}"


def hosting() -> str:
    return settings.HOSTING_PROVIDER or str(_("self-hosted (no hosting provider configured)"))


def uses_meta_sandbox() -> bool:
    return bool(settings.META_SANDBOX_URL)
