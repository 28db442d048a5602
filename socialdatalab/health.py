"""Liveness of the parts the site needs: the database, Redis (or the embedded broker), a worker.

Workers write a heartbeat into the cache every few seconds from a daemon thread; /healthz
calls a worker healthy while its last beat is fresh. The last beat is kept after a worker stops,
so pages can say since when background work waits ("waiting for the worker since 20:41").
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
HEARTBEAT_KEY = "health:worker-heartbeat"
HEARTBEAT_INTERVAL = 5.0
HEARTBEAT_MAX_AGE = 30.0
_stop = threading.Event()


def _beat_forever() -> None:
    while not _stop.is_set():
        try:
            # No expiry: a stale beat is how the pages know when the worker was last seen.
            cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
        except Exception:  # a missing cache must not kill the worker
            logger.warning("worker heartbeat could not be written", exc_info=True)
        _stop.wait(HEARTBEAT_INTERVAL)


def start_worker_heartbeat() -> None:
    _stop.clear()
    threading.Thread(target=_beat_forever, name="heartbeat", daemon=True).start()


def stop_worker_heartbeat() -> None:
    _stop.set()


@dataclass(frozen=True)
class WorkerState:
    """Whether a worker beats now, and when one last did (None: never, or the cache was lost)."""

    up: bool
    last_seen: datetime | None

    @property
    def waiting_label(self) -> str:
        """What a page says where someone waits on the worker while it is down."""
        if self.last_seen is None:
            return _("Waiting for the worker to start")
        since = timezone.localtime(self.last_seen).strftime("%H:%M")
        return _("Waiting for the worker since %(time)s") % {"time": since}


def worker_state() -> WorkerState:
    try:
        last_beat = cache.get(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001 - no cache: no worker can be seen either
        return WorkerState(up=False, last_seen=None)
    if last_beat is None:
        return WorkerState(up=False, last_seen=None)
    return WorkerState(
        up=time.time() - float(last_beat) <= HEARTBEAT_MAX_AGE,
        last_seen=datetime.fromtimestamp(float(last_beat), tz=UTC),
    )


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


def check_redis() -> tuple[bool, str]:
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping()
        return True, "ok (Celery on the embedded broker)" if settings.EMBEDDED_BROKER else "ok"
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


def check_worker() -> tuple[bool, str]:
    state = worker_state()
    if state.last_seen is None:
        return False, "no heartbeat"
    return state.up, f"last heartbeat {time.time() - state.last_seen.timestamp():.0f}s ago"


def report() -> tuple[bool, dict[str, dict[str, object]]]:
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}
    return all(ok for ok, _ in checks.values()), body
