"""The token lifecycle's beat schedules, in the database so they can be edited in the admin."""

from django.db import migrations

SCHEDULES = [
    # (task name, task path, hour, minute)
    ("accounts: daily credential check", "accounts.tasks.check_credentials", "3", "10"),
    ("accounts: refresh Instagram tokens", "accounts.tasks.refresh_instagram_tokens", "3", "40"),
    ("accounts: expiry reminders", "accounts.tasks.send_expiry_reminders", "12", "0"),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour, minute in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "queue": "default", "enabled": True}
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_invites_deletion_requests"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
