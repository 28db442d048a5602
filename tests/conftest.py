"""Suite-wide fixtures: the Meta sandbox as a process, a real Celery worker, headless chromium."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings as django_settings

from socialdatalab import celery_command
from tests.flush import fast_flush
from tests.sandbox_process import start_sandbox
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parent.parent
# The SQLite pass of `make test` runs beside the PostgreSQL one: its logs and screenshots go apart.
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or ROOT / "var" / "test-artifacts")
# Names of what each pytest-xdist worker keeps apart (logs, Celery node names): "" without xdist.
XDIST_SUFFIX = f"-{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
fast_flush()


class Sandbox:
    """The sandbox's control API (docs/sandbox.md), for tests."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}/_sandbox/{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def mint_token(self, login: str, account: str, **options: Any) -> dict[str, Any]:
        return self._call("POST", "tokens", json={"login": login, "account": account, **options})

    def accounts(self) -> list[dict[str, Any]]:
        return self._call("GET", "accounts")

    def create_account(self, username: str, media: int, **options: Any) -> dict[str, Any]:
        return self._call("POST", "accounts", json={"username": username, "media": media, **options})

    def calls(self, token: str | None = None) -> dict[str, Any]:
        return self._call("GET", "calls", params={"token": token} if token else None)

    def reset_calls(self) -> None:
        self._call("POST", "calls/reset")

    def fail(self, **rule: Any) -> None:
        self._call("POST", "failures", json=rule)

    def clear_failures(self) -> None:
        self._call("DELETE", "failures")

    def grants(self) -> list[dict[str, Any]]:
        return self._call("GET", "grants")

    def send_webhook(self, target: str, event: str, **options: Any) -> dict[str, Any]:
        return self._call("POST", "webhooks/send", json={"target": target, "event": event, **options})

    def send_callback(self, target: str, kind: str, **options: Any) -> dict[str, Any]:
        return self._call("POST", "callbacks/send", json={"target": target, "kind": kind, **options})

    def published(self) -> Any:
        return self._call("GET", "published")

    def reset(self) -> None:
        self._call("POST", "reset")


def _wait_until(check: Any, timeout: float, what: str) -> None:
    wait_for(check, timeout, what, every=0.1, ignoring=(Exception,))


@pytest.fixture(scope="session")
def sandbox_process() -> Iterator[str]:
    process, _ = start_sandbox(int(os.environ["SANDBOX_PORT"]))
    try:
        yield os.environ["META_SANDBOX_URL"]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sandbox(sandbox_process: str) -> Iterator[Sandbox]:
    """The running sandbox, reset to its seeded state, counters at zero, no failure rules."""
    client = Sandbox(sandbox_process)
    client.reset()
    yield client
    client.clear_failures()


def test_database_url(settings: Any) -> str:
    """The URL of the database the tests run on, for processes that must open it too."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


def worker_environment(settings: Any, **overrides: str) -> dict[str, str]:
    """The environment a worker needs to see what the test sees: the test database.

    `overrides` replace variables, e.g. REDIS_URL and CELERY_BROKER_URL for a private broker."""
    return {
        **os.environ,
        "DATABASE_URL": test_database_url(settings),
        "DJANGO_SETTINGS_MODULE": "socialdatalab.settings",
        **overrides,
    }


def start_worker(
    settings: Any, *extra: str, name: str = "test", env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / f"celery-{name}.log", "wb")
    command = celery_command.worker(
        "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle", *extra, queues=settings.CELERY_WORKER_QUEUES
    )
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env or worker_environment(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class SuiteWorker:
    """The suite's shared Celery worker: started on first use, stopped for tests that run their own
    workers, and quiesced after each database-flushing test so a late task never races the flush.

    Quiesced, it stops consuming until a test asks for it again: a test that wants no worker (tasks
    queued, not run) meets none, whichever test ran before it on this pytest worker."""

    node = f"suite{XDIST_SUFFIX}@{socket.gethostname()}"

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.revoked: set[str] = set()  # ids the running worker was told to skip
        self.consuming = False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        from django.core.cache import cache

        from socialdatalab.health import HEARTBEAT_KEY

        if self.running:
            if not self.consuming:
                self._consume("add_consumer")
            return
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        cache.delete(HEARTBEAT_KEY)
        self.revoked = set()
        self.process = start_worker(self.settings, "--concurrency", "2", name=f"suite{XDIST_SUFFIX}")
        self.consuming = True
        try:
            _wait_until(lambda: cache.get(HEARTBEAT_KEY) is not None, 120, "the Celery worker")
        except AssertionError:
            self.stop()
            raise

    def _consume(self, command: str) -> None:
        """Celery's add_consumer or cancel_consumer for each queue, answered by the worker."""
        from socialdatalab.celery import app

        for queue in self.settings.CELERY_WORKER_QUEUES:
            _wait_until(
                lambda queue=queue: getattr(app.control, command)(queue, destination=[self.node], reply=True),
                30,
                f"the worker's answer to {command} {queue}",
            )
        self.consuming = command == "add_consumer"

    def stop(self) -> None:
        if self.process is not None:
            stop_worker(self.process)
            self.process = None
            self.consuming = False

    def quiesce(self, timeout: float = 30) -> None:
        """Drop queued tasks, revoke the ones the worker holds for later (a retry's countdown),
        kill the ones running (a test's late backfill is not worth waiting for), until it has none."""
        drop_queued_tasks(self.settings.CELERY_BROKER_URL)
        if not self.running:
            return
        if self.consuming:
            self._consume("cancel_consumer")
        _wait_until(self._revoke_all, timeout, "an idle worker")
        drop_queued_tasks(self.settings.CELERY_BROKER_URL)

    def _revoke_all(self) -> bool:
        """Revoke what the worker runs or holds; True once it answers that it has nothing."""
        from socialdatalab.celery import app

        inspector = app.control.inspect(destination=[self.node], timeout=1, limit=1)
        # No answer is not "idle": on a busy machine the reply may miss the second it is given.
        active, scheduled, reserved = inspector.active(), inspector.scheduled(), inspector.reserved()
        if active is None or scheduled is None or reserved is None:
            return False
        running = [task["id"] for tasks in active.values() for task in tasks]
        held = {entry["request"]["id"] for entries in scheduled.values() for entry in entries}
        held |= {task["id"] for tasks in reserved.values() for task in tasks}
        held -= self.revoked  # a revoked countdown stays listed until it ends, and is skipped then
        # Revoked ids stay known to the worker: the message a killed child gives back, or a
        # countdown that ends after the flush, is skipped.
        if held:
            app.control.revoke(list(held), destination=[self.node])
            self.revoked |= held
        if running:
            app.control.revoke(running, destination=[self.node], terminate=True, signal="SIGKILL")
        return not running and not held


def drop_queued_tasks(broker_url: str) -> None:
    import redis

    client = redis.Redis.from_url(broker_url)
    for queue in django_settings.CELERY_WORKER_QUEUES:
        client.delete(*client.keys(f"{queue}*") or [queue])


@pytest.fixture(scope="session")
def suite_worker(django_db_setup: None, django_db_blocker: Any) -> Iterator[SuiteWorker]:
    from django.conf import settings

    worker = SuiteWorker(settings)
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(transactional_db: None, suite_worker: SuiteWorker) -> Iterator[None]:
    """A real Celery worker process on the test database and the test Redis."""
    suite_worker.start()
    yield
    suite_worker.quiesce()


@pytest.fixture
def no_suite_worker(suite_worker: SuiteWorker) -> None:
    """For tests that start workers of their own and must be the only ones consuming."""
    suite_worker.quiesce()
    suite_worker.stop()


@pytest.fixture(autouse=True)
def _quiet_worker_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that flushes the database at its end first waits for the suite worker to go idle:
    a task still writing would deadlock the TRUNCATE. Requesting the database fixture here makes
    this teardown run before the flush."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    worker: SuiteWorker = request.getfixturevalue("suite_worker")
    yield
    from webhooks.batching import batcher

    # Deliveries the test's requests stored are published 50 ms later by the web process's
    # batcher: publish them now, so the quiesce below drops them instead of racing the flush.
    batcher.flush()
    if worker.running:
        worker.quiesce()


def _chromium() -> str:
    shell = Path("/usr/lib/chromium/chromium-headless-shell")
    return str(shell) if shell.exists() else "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Debian's chromium: Playwright cannot download its own browser here (PITFALLS.md). Its
    headless shell (package chromium-headless-shell, what Playwright itself runs headless) when
    installed: the full browser's headless mode cost a fifth more CPU on the layout test."""
    return {
        "executable_path": os.environ.get("CHROMIUM_PATH") or _chromium(),
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Any:
    """Save numbered screenshots of a browser test under var/test-artifacts/<test name>/.

    JPEG: chromium encodes a full page in half the time it takes for PNG (some 180 a pass)."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def take(step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.jpg"
        page.screenshot(path=str(path), full_page=True, type="jpeg", quality=85)
        return path

    return take


class _ServerErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def _no_server_error_in_the_browser(request: pytest.FixtureRequest) -> Iterator[None]:
    """A page that answers 500 to the browser fails the test, even when the test looks elsewhere."""
    if "live_server" not in request.fixturenames:
        yield
        return
    handler = _ServerErrors()
    loggers = [logging.getLogger("django.request"), logging.getLogger("django.server")]
    for logger in loggers:
        logger.addHandler(handler)
    yield
    for logger in loggers:
        logger.removeHandler(handler)
    if handler.messages:
        pytest.fail("the server logged errors:\n" + "\n".join(handler.messages[:10]), pytrace=False)


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A test that activates a language (or renders a page in one) leaves the next test of its
    pytest-xdist worker in the site's default, as a new request would be."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_call_budget() -> None:
    """No Graph call budget or pause left in Redis by an earlier test of this pytest-xdist worker
    (the governor's keys, meta.ratelimit): every test starts with the full hour, as the sandbox
    fixture starts it with Meta as seeded. A test's backfill once waited 40 minutes for the hour
    another test had spent on the same demo account."""
    import redis

    client = redis.Redis.from_url(django_settings.REDIS_URL)
    stale = list(client.scan_iter("meta:rl:*"))
    if stale:
        client.delete(*stale)

