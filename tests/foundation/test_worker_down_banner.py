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
