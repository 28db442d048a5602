"""When no worker is running, signed-in people are told that background work waits."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)

NO_HEARTBEAT_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}
}


@override_settings(CACHES=NO_HEARTBEAT_CACHE)
def test_it_warns_that_background_work_is_paused_when_no_worker_beats(client, django_user_model):
    from django.core.cache import cache

    cache.clear()
    client.force_login(django_user_model.objects.create_user("researcher"))

    html = client.get("/dashboard/").content.decode()

    assert 'id="worker-down"' in html
    assert "Background work is paused" in html


def test_it_says_nothing_while_a_worker_runs(client, django_user_model, celery_worker):
    client.force_login(django_user_model.objects.create_user("researcher"))

    assert 'id="worker-down"' not in client.get("/dashboard/").content.decode()


@override_settings(CACHES=NO_HEARTBEAT_CACHE)
def test_it_tells_the_pages_since_when_the_worker_is_gone(client, django_user_model):
    from datetime import UTC, datetime

    from django.core.cache import cache

    from socialdatalab.health import HEARTBEAT_KEY

    cache.clear()
    client.force_login(django_user_model.objects.create_user("researcher"))
    never = client.get("/worker.json").json()
    assert never == {"up": False, "last_seen": None, "label": "Waiting for the worker to start"}

    cache.set(HEARTBEAT_KEY, datetime(2026, 12, 1, 17, 5, tzinfo=UTC).timestamp(), timeout=None)
    body = client.get("/worker.json").json()

    assert body["up"] is False
    assert body["label"] == "Waiting for the worker since 14:05"  # America/Fortaleza, the beat's local time


def test_it_answers_the_worker_state_only_to_signed_in_people(client):
    assert client.get("/worker.json").status_code == 302
