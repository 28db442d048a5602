"""The audit key's secret encrypted with the token vault: existing secrets are kept (their
pseudonyms stay stable), only stored encrypted."""

from django.db import migrations, models

from accounts import vault


def encrypt(apps, schema_editor):
    AuditKey = apps.get_model("insights", "AuditKey")
    for key in AuditKey.objects.all():
        key.secret_encrypted = vault.encrypt(key.secret)
        key.save(update_fields=["secret_encrypted"])


def decrypt(apps, schema_editor):
    AuditKey = apps.get_model("insights", "AuditKey")
    for key in AuditKey.objects.all():
        key.secret = vault.decrypt(key.secret_encrypted)
        key.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_human_agent_audit_quick_replies")]

    operations = [
        # blank, so that undoing the removal below can add the column back to existing rows
        migrations.AlterField(model_name="auditkey", name="secret", field=models.CharField(max_length=64, blank=True)),
        migrations.AddField(
            model_name="auditkey", name="secret_encrypted", field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField(model_name="auditkey", name="secret"),
    ]
