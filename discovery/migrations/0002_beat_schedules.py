"""The panel's daily visits and the tags collection, as django-celery-beat rows (editable in the admin)."""

from django.db import migrations

# (name, task, interval minutes): visit_due queues only what was not visited yet today (UTC).
SCHEDULES = [
    ("discovery: public panel visits", "discovery.tasks.visit_due", 60),
    ("discovery: tagged media", "discovery.tasks.tags_all", 360),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "queue": "collect", "interval": interval})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
