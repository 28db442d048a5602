"""Per-organisation retention (insights.retention) and its nightly beat schedule."""

import django.core.validators
from django.db import migrations, models

TASK_NAME = "accounts: retention"


def limits():
    return [django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3650)]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="20", hour="4", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "insights.retention.apply_retention",
            "crontab": crontab,
            "queue": "default",
            "enabled": True,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_deletion_request_issued_at"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="webhook_body_retention_days",
            field=models.PositiveIntegerField(
                default=30, validators=limits(), verbose_name="keep raw webhook deliveries (days)"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="message_retention_days",
            field=models.PositiveIntegerField(
                default=365, validators=limits(), verbose_name="keep direct messages (days)"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="comment_retention_days",
            field=models.PositiveIntegerField(default=730, validators=limits(), verbose_name="keep comments (days)"),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
