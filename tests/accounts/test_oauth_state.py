"""The OAuth `state` ties a callback to the login this browser started: a callback with another
state is refused before any code is exchanged."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db

EXCHANGE = "POST api.instagram.com /oauth/access_token"


def _start_login(client) -> str:
    response = client.post("/auth/instagram_business/login/")
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["state"][0]


def _exchanges(sandbox) -> int:
    return sum(count for endpoint, count in sandbox.calls()["by_endpoint"].items() if endpoint.startswith(EXCHANGE))


def test_a_callback_with_a_forged_state_is_refused_without_exchanging_the_code(client, sandbox):
    _start_login(client)
    sandbox.reset_calls()

    response = client.get(
        "/auth/instagram_business/login/callback/", {"code": "AQB-stolen", "state": "forged"}, follow=True
    )

    assert "_auth_user_id" not in client.session
    assert _exchanges(sandbox) == 0
    assert response.redirect_chain == [("/", 302)]
    assert "The Instagram login could not be completed. Nothing was connected" in response.content.decode()


def test_a_callback_with_the_state_it_was_given_goes_on_to_the_exchange(client, sandbox):
    state = _start_login(client)
    sandbox.reset_calls()

    client.get("/auth/instagram_business/login/callback/", {"code": "AQB-unknown", "state": state})

    assert _exchanges(sandbox) == 1  # the sandbox refuses the unknown code; the state was accepted
    assert "_auth_user_id" not in client.session
