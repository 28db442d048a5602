"""Loaded with `-p tests.bootstrap` before Django reads its settings: points the suite at the
test PostgreSQL, a Redis db of its own, and a sandbox port chosen now (allauth reads the
Meta URLs when settings load, so the sandbox's address must be known first)."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.sandbox_process import free_port

os.environ["DJANGO_ENV"] = "development"
os.environ["EMBEDDED_BROKER"] = "false"
os.environ["TEST_FAST_PASSWORD_HASHER"] = "true"
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/socialdatalab")
os.environ.pop("CELERY_BROKER_URL", None)
# Under pytest-xdist each worker (gw0, gw1, …) is a suite of its own: its database (pytest-django
# suffixes the name), its Redis db (counting down from the suite's: a worker's Celery tasks and
# cache never meet another's) and its sandbox (the controller's port, inherited, is not reused).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_redis = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
_db = int(_redis.path.strip("/") or 0) - int(WORKER.removeprefix("gw") or 0)
if _db < 0:
    raise SystemExit(f"too many pytest-xdist workers for Redis db {_redis.path} (one db each, counting down)")
os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_db}"))
os.environ["SANDBOX_PORT"] = str(free_port()) if WORKER else os.environ.get("SANDBOX_PORT") or str(free_port())
os.environ["META_SANDBOX_URL"] = f"http://127.0.0.1:{os.environ['SANDBOX_PORT']}"
# WhiteNoise looks for collected static files; the suite serves them through the finders.
(Path(__file__).resolve().parent.parent / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
# Uploaded files go to a throwaway folder that the suite's workers see too.
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="sdl-test-media-")
# Playwright's sync API runs an event loop in the test thread; live_server needs the ORM there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
