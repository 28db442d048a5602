"""Liveness of the parts the site needs: the database, Redis (or the embedded broker), a worker.

Workers write a heartbeat into the cache every few seconds from a daemon thread; /healthz
calls a worker healthy while its last beat is fresh.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)
HEARTBEAT_KEY = "health:worker-heartbeat"
HEARTBEAT_INTERVAL = 5.0
HEARTBEAT_MAX_AGE = 30.0
_stop = threading.Event()


def _beat_forever() -> None:
    while not _stop.is_set():
        try:
            cache.set(HEARTBEAT_KEY, time.time(), timeout=int(HEARTBEAT_MAX_AGE * 2))
        except Exception:  # a missing cache must not kill the worker
            logger.warning("worker heartbeat could not be written", exc_info=True)
        _stop.wait(HEARTBEAT_INTERVAL)


def start_worker_heartbeat() -> None:
    _stop.clear()
    threading.Thread(target=_beat_forever, name="heartbeat", daemon=True).start()


def stop_worker_heartbeat() -> None:
    _stop.set()


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
    try:
        last_beat = cache.get(HEARTBEAT_KEY)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    if last_beat is None:
        return False, "no heartbeat"
    age = time.time() - float(last_beat)
    if age > HEARTBEAT_MAX_AGE:
        return False, f"last heartbeat {age:.0f}s ago"
    return True, f"last heartbeat {age:.0f}s ago"


def report() -> tuple[bool, dict[str, dict[str, object]]]:
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}
    return all(ok for ok, _ in checks.values()), body
