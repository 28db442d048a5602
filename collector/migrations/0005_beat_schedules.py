"""The collection schedules, as rows of django-celery-beat: editable in the admin afterwards."""

from django.db import migrations

# (name, task, interval minutes or None, crontab fields or None)
SCHEDULES = [
    ("collector: incremental sync", "collector.tasks.sync_all", 15, None),
    ("collector: stories", "collector.tasks.stories_all", 60, None),
    ("collector: type-specific insights", "collector.tasks.deep_insights_all", 60, None),
    ("collector: comment polling", "collector.tasks.poll_comments_all", 30, None),
    ("collector: daily snapshot", "collector.tasks.snapshot_all", None, {"minute": "10", "hour": "3"}),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes, cron in SCHEDULES:
        schedule = {}
        if minutes is not None:
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        else:
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC", **cron
            )
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "queue": "collect", **schedule})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0004_run_kind_insights"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
