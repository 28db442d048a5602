"""Loaded with `-p tests.bootstrap` before Django reads its settings: points the suite at the
test PostgreSQL, a Redis db of its own, and a sandbox port chosen now (allauth reads the
Meta URLs when settings load, so the sandbox's address must be known first)."""

import os
import tempfile
from pathlib import Path

from tests.sandbox_process import free_port

os.environ["DJANGO_ENV"] = "development"
os.environ["EMBEDDED_BROKER"] = "false"
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/socialdatalab")
os.environ["REDIS_URL"] = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.pop("CELERY_BROKER_URL", None)
os.environ["SANDBOX_PORT"] = os.environ.get("SANDBOX_PORT") or str(free_port())
os.environ["META_SANDBOX_URL"] = f"http://127.0.0.1:{os.environ['SANDBOX_PORT']}"
# WhiteNoise looks for collected static files; the suite serves them through the finders.
(Path(__file__).resolve().parent.parent / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
# Uploaded files go to a throwaway folder that the suite's workers see too.
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="sdl-test-media-")
# Playwright's sync API runs an event loop in the test thread; live_server needs the ORM there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
