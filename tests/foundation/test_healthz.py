import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_reports_database_redis_and_worker_healthy(client, celery_worker):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"] and body["worker"]["ok"]


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}}
)
def test_it_answers_503_when_no_worker_has_beaten(client):
    from django.core.cache import cache

    cache.clear()
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "detail": "no heartbeat"}
    assert body["database"]["ok"]


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_when_redis_is_unreachable(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False
