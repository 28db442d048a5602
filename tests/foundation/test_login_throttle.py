"""Password guessing on /admin/login/ and /api/token/ is refused with a 429, per IP and per account,
and nobody can lock a person out by failing on purpose: a clean IP with the right password gets in."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "x-long-password-9"


def fresh_ip() -> str:
    """Counters outlive a test run in Redis for the whole window: every test takes IPs never used."""
    return "10." + ".".join(str(random.randrange(256)) for _ in range(3))


@pytest.fixture
def admin_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser(f"admin-{fresh_ip()}", password=PASSWORD)


def admin_login(username: str, password: str, ip: str) -> int:
    return Client(REMOTE_ADDR=ip).post("/admin/login/", {"username": username, "password": password}).status_code


def token(username: str, password: str, ip: str, language: str = "en") -> Any:
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language).post(
        "/api/token/", {"username": username, "password": password}, content_type="application/json"
    )


def test_the_admin_login_answers_429_to_an_ip_guessing_one_accounts_password(admin_user: Any) -> None:
    ip = fresh_ip()
    statuses = [admin_login(admin_user.username, f"guess-{n}", ip) for n in range(30)]

    limit = settings.LOGIN_THROTTLE_PAIR_FAILURES
    assert statuses == [200] * limit + [429] * (30 - limit)
    assert admin_login(admin_user.username, PASSWORD, ip) == 429  # this IP has been guessing
    assert admin_login(admin_user.username, PASSWORD, fresh_ip()) == 302  # the person, elsewhere, gets in


def test_the_admin_login_page_says_why_it_refuses(admin_user: Any) -> None:
    ip = fresh_ip()
    for n in range(settings.LOGIN_THROTTLE_PAIR_FAILURES):
        admin_login(admin_user.username, f"guess-{n}", ip)

    response = Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="pt-br").post(
        "/admin/login/", {"username": admin_user.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_THROTTLE_WINDOW)
    assert "Muitas tentativas de entrada sem sucesso" in response.content.decode()


def test_the_token_endpoint_answers_429_in_portuguese_to_an_ip_guessing_a_password(admin_user: Any) -> None:
    ip = fresh_ip()
    statuses = [token(admin_user.username, f"guess-{n}", ip).status_code for n in range(60)]

    limit = settings.LOGIN_THROTTLE_PAIR_FAILURES
    assert statuses == [401] * limit + [429] * (60 - limit)
    refused = token(admin_user.username, PASSWORD, ip, language="pt-br")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Pedido foi suprimido")
    assert token(admin_user.username, PASSWORD, fresh_ip()).status_code == 200


def test_failing_on_purpose_from_many_ips_does_not_lock_the_person_out(admin_user: Any) -> None:
    attackers = [fresh_ip() for _ in range(4)]
    for ip in attackers:
        for n in range(settings.LOGIN_THROTTLE_PAIR_FAILURES):
            admin_login(admin_user.username, f"guess-{n}", ip)

    # The account is under attack: a new guessing IP is refused sooner than a single one was...
    newcomer = fresh_ip()
    limited = settings.LOGIN_THROTTLE_LIMITED_PAIR_FAILURES
    assert [admin_login(admin_user.username, "guess", newcomer) for _ in range(limited + 1)] == [200] * limited + [429]
    # ...and the person, from a network that was not guessing, signs in with the right password.
    assert admin_login(admin_user.username, PASSWORD, fresh_ip()) == 302
    assert token(admin_user.username, PASSWORD, fresh_ip()).status_code == 200


def test_an_ip_guessing_across_many_accounts_is_refused_for_all_of_them(django_user_model: Any) -> None:
    ip = fresh_ip()
    names = [f"someone-{n}-{ip}" for n in range(settings.LOGIN_THROTTLE_IP_FAILURES)]
    assert {admin_login(name, "guess", ip) for name in names} == {200}

    person = django_user_model.objects.create_superuser(f"real-{ip}", password=PASSWORD)
    assert admin_login(person.username, PASSWORD, ip) == 429
    assert token(person.username, PASSWORD, ip).status_code == 429
