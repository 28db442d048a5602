"""Broker down: Meta's deliveries are still answered 200 and kept, and processed once it returns.

A web process (gunicorn) and a worker with beat run on the test database against a Redis
server of this test's own, which the test stops and starts again; the machine's Redis is
never touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import requests
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from collector.models import Comment, Media, Profile
from meta.signing import sign_body
from tests.conftest import ARTIFACTS, ROOT, start_worker, stop_worker, worker_environment
from tests.sandbox_process import free_port
from tests.waiting import wait_for
from tests.webhooks.conftest import IG_ACCOUNT_ID
from webhooks.models import EventStatus, WebhookEvent
from webhooks.processing import SWEEP_AFTER_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)


class PrivateRedis:
    """A redis-server on a free port, without persistence: stopping it loses what it held."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: redis.Redis(port=self.port).ping(), 10, "the private redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> float:
    """Seconds it took for `check` to hold; fails the test after `timeout`."""
    started = time.monotonic()
    wait_for(check, timeout, what, every=0.1, ignoring=(OSError, redis.RedisError, requests.RequestException))
    return time.monotonic() - started


@pytest.fixture
def broker() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stack(broker: PrivateRedis) -> Iterator[str]:
    """gunicorn and a Celery worker with beat, both on the private broker; yields the web URL."""
    environment = worker_environment(settings, REDIS_URL=broker.url, CELERY_BROKER_URL=broker.url)
    # The sweep is due every 2 s here (every minute in production), so the test is short.
    PeriodicTask.objects.create(
        name="webhook sweep, test cadence",
        task="webhooks.tasks.sweep_unprocessed",
        interval=IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS),
    )
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "broker-outage-gunicorn.log", "wb")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "socialdatalab.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = start_worker(settings, "--concurrency", "1", "-B", name="broker-outage", env=environment)
    url = f"http://127.0.0.1:{port}/webhooks/meta/"
    try:
        handshake = {"hub.mode": "subscribe", "hub.verify_token": settings.META_WEBHOOK_VERIFY_TOKEN}
        wait_until(lambda: requests.get(url, params={**handshake, "hub.challenge": "1"}, timeout=2).ok, 30, "gunicorn")
        yield url
    finally:
        stop_worker(worker)
        web.terminate()
        web.wait(timeout=20)


MEDIA_ID = "18000000000000001"


def comment_delivery(comment_id: str) -> bytes:
    value = {
        "id": comment_id,
        "from": {"id": "17800000000000099", "username": "visitante"},
        "text": "Chegou mesmo sem o broker?",
        "media": {"id": MEDIA_ID, "media_product_type": "FEED"},
    }
    entry = {"id": IG_ACCOUNT_ID, "time": int(time.time()), "field": "comments", "value": value}
    return json.dumps({"object": "instagram", "entry": [entry]}).encode()


def post(url: str, body: bytes) -> requests.Response:
    signature = sign_body(body, settings.INSTAGRAM_APP_SECRET)
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    return requests.post(url, data=body, headers=headers, timeout=10)


def processed(comment_id: str) -> bool:
    return Comment.objects.filter(meta_id=comment_id).exists()


def test_a_delivery_made_while_the_broker_is_down_is_answered_and_processed_once_it_returns(
    profile: Profile, broker: PrivateRedis, stack: str
) -> None:
    # Known media: no partial sync of the profile is queued, so the worker only handles deliveries.
    Media.objects.create(profile=profile, meta_id=MEDIA_ID, timestamp=timezone.now())
    # Everything is up: a delivery reaches the worker through the broker.
    assert post(stack, comment_delivery("17900000000000001")).status_code == 200
    wait_until(lambda: processed("17900000000000001"), 30, "the delivery sent with the broker up")

    broker.stop()
    started = time.monotonic()
    answer = post(stack, comment_delivery("17900000000000002"))
    answered_in = time.monotonic() - started
    assert answer.status_code == 200
    assert answered_in < 2, f"answered in {answered_in:.1f}s with the broker down"
    event = WebhookEvent.objects.get(body__contains="17900000000000002")
    time.sleep(1)
    event.refresh_from_db()
    assert event.status == EventStatus.RECEIVED
    assert not processed("17900000000000002")

    broker.start()
    # The sweep takes deliveries at least SWEEP_AFTER_SECONDS old, so this waits about that long.
    waited = wait_until(lambda: processed("17900000000000002"), SWEEP_AFTER_SECONDS + 20, "the swept delivery")
    print(f"processed {waited:.1f}s after the broker came back")
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSED
    assert event.swept_at is not None  # queued by the sweep: its first message died with the broker
    assert Comment.objects.filter(profile=profile, meta_id="17900000000000002").count() == 1
