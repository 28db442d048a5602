"""The suite's flush after a transactional test (tests/flush.py), on both databases: every row a
test made goes, the rows `migrate` made stay, so the next test meets the database migrate left."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from collector.models import Profile

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


def test_it_empties_what_a_test_made_and_keeps_what_migrate_made(django_user_model: type) -> None:
    permissions = Permission.objects.count()
    user = django_user_model.objects.create_user("flushed", password="x")
    organization = Organization.objects.create(name="IFMA")
    Profile.objects.create(organization=organization, platform="instagram", meta_id="17841400000000099")
    user.user_permissions.add(Permission.objects.first())

    with CaptureQueriesContext(connection) as queries:
        # What Django's TransactionTestCase runs after each test.
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    assert not django_user_model.objects.exists() and not Organization.objects.exists()
    assert not Profile.objects.exists()
    assert Permission.objects.count() == permissions > 0 and ContentType.objects.get_for_model(Profile)
    assert Site.objects.get(pk=settings.SITE_ID)
    assert len(queries) < 80, "post_migrate made the content types and permissions again"
