"""The App Review kit lists every scope both logins ask for, each with why and where."""

from django.conf import settings
from django.urls import reverse


def test_every_requested_scope_is_explained_with_steps(client, db):
    text = client.get(reverse("review_kit")).content.decode()
    for scope in [*settings.META_INSTAGRAM_SCOPES, *settings.META_FACEBOOK_SCOPES]:
        assert f'id="permission-{scope}"' in text
    assert "Not explained yet" not in text
    scopes = len(settings.META_INSTAGRAM_SCOPES) + len(settings.META_FACEBOOK_SCOPES)
    assert text.count("Where to see it:") == scopes + 1  # and the Human Agent feature


def test_a_scope_without_an_explanation_is_flagged(client, db, settings):
    settings.META_INSTAGRAM_SCOPES = [*settings.META_INSTAGRAM_SCOPES, "instagram_business_new_thing"]
    text = client.get(reverse("review_kit")).content.decode()
    assert "Not explained yet" in text


def test_the_metrics_help_page_defines_every_metric(client, db):
    from insights.metrics import DEFINITIONS

    text = client.get(reverse("metrics_help")).content.decode()
    assert all(f'id="metric-{metric.key}"' in text for metric in DEFINITIONS)
