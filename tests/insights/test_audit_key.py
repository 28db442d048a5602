"""The organization's pseudonym secret (AuditKey) is stored encrypted with the token vault, and
the migration that encrypted it kept every existing secret, so pseudonyms did not change."""

from __future__ import annotations

import secrets

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Organization
from insights import audit
from insights.models import AuditKey

BEFORE = [("insights", "0003_human_agent_audit_quick_replies")]
AFTER = [("insights", "0004_audit_key_encrypted")]


@pytest.mark.django_db
def test_the_secret_is_stored_encrypted_and_gives_the_same_pseudonyms() -> None:
    organization = Organization.objects.create(name="Lab")
    secret = audit.organization_secret(organization)

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM insights_auditkey WHERE organization_id = %s", [organization.pk])
        stored = cursor.fetchone()[0]
    assert secret.decode() not in stored and len(secret) == 64
    assert audit.organization_secret(organization) == secret
    assert audit.pseudonym(secret, 7) == audit.pseudonym(audit.organization_secret(organization), 7)
    assert audit.pseudonym(secret, "7", "commenter") != audit.pseudonym(secret, 7)


def test_the_migration_encrypts_existing_secrets_without_changing_them(transactional_db: None) -> None:
    organization = Organization.objects.create(name="Lab from before")
    clear = secrets.token_hex(32)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO insights_auditkey (organization_id, secret) VALUES (%s, %s)", [organization.pk, clear]
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    key = AuditKey.objects.get(organization=organization)
    assert key.secret == clear and clear not in key.secret_encrypted
