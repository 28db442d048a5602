"""The username/password login: styled like the rest, reachable from the start page, and no open sign-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_links_the_login_page_from_the_landing_page(client: Any) -> None:
    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("account_login")}"' in html


def test_it_styles_the_login_page_with_our_stylesheet_and_offers_no_sign_up(client: Any) -> None:
    html = client.get(reverse("account_login")).content.decode()

    assert "css/app.css" in html
    assert 'class="site-header"' in html
    assert "Continue with Instagram" in html
    assert reverse("account_signup") not in html
    assert "sign up" not in html.lower()


def test_it_answers_that_username_and_password_sign_up_is_closed(client: Any, django_user_model: Any) -> None:
    page = client.get(reverse("account_signup"))
    password = "Xk82!long-pass"
    attempt = client.post(
        reverse("account_signup"), {"username": "intruder", "password1": password, "password2": password}
    )

    assert 'id="signup-closed"' in page.content.decode()
    assert "Sign-up is by invitation" in attempt.content.decode()
    assert not django_user_model.objects.filter(username="intruder").exists()


def test_it_logs_a_person_in_with_a_username_and_password(client: Any, django_user_model: Any) -> None:
    django_user_model.objects.create_user("demo", password="socialdatalab-demo")

    answer = client.post(reverse("account_login"), {"login": "demo", "password": "socialdatalab-demo"})

    assert answer.status_code == 302 and answer.url == reverse("dashboard")


def test_it_shows_why_a_login_failed_on_the_styled_page(client: Any, django_user_model: Any) -> None:
    django_user_model.objects.create_user("demo", password="socialdatalab-demo")

    html = client.post(reverse("account_login"), {"login": "demo", "password": "wrong"}).content.decode()

    assert 'role="alert"' in html and "css/app.css" in html
