"""The webhook endpoint stores with one round trip (no per-request `SELECT 1` health check), and
still stores a delivery whose persistent database connection died since the last one."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.test import Client

from tests.waiting import wait_for
from webhooks.models import WebhookEvent

from .conftest import fixture_body, post_signed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL backend")
def test_a_delivery_after_the_database_dropped_our_connection_is_stored(client: Client) -> None:
    body = fixture_body("comments_instagram_login_flat")
    assert post_signed(client, body).status_code == 200
    backend = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], password=settings["PASSWORD"] or None,
        dbname=settings["NAME"], autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
        # pg_terminate_backend only signals: until the backend is gone our connection may still
        # answer, and die later under the test's teardown instead of under the next delivery.
        wait_for(
            lambda: not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone(),
            timeout=30, what="the terminated backend to exit",
        )  # fmt: skip

    assert post_signed(client, body).status_code == 200
    assert WebhookEvent.objects.count() == 2
