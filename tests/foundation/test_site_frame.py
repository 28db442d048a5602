import pytest

pytestmark = pytest.mark.django_db


def test_the_landing_page_says_what_the_product_does_and_offers_both_logins(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Continue with Instagram" in html
    assert "Continue with Facebook" in html
    assert "official APIs" in html


def test_every_page_links_privacy_terms_and_data_deletion(client):
    html = client.get("/").content.decode()

    for url_path in ("/privacy/", "/terms/", "/data-deletion/"):
        assert f'href="{url_path}"' in html
        assert client.get(url_path).status_code == 200


def test_the_landing_page_speaks_brazilian_portuguese_when_asked(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR")

    html = response.content.decode()
    assert 'lang="pt-br"' in html
    assert "Continuar com o Instagram" in html


def test_the_language_switcher_remembers_the_choice(client):
    client.post("/i18n/setlang/", {"language": "pt-br", "next": "/"})

    assert "Continuar com o Facebook" in client.get("/").content.decode()


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_static_files_are_served_by_the_app(live_server):
    import requests

    response = requests.get(f"{live_server.url}/static/css/app.css", timeout=5)

    assert response.status_code == 200
    assert "SocialDataLab" in response.text
