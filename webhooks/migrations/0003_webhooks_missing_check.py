"""Every 30 minutes: are comment webhooks arriving for each Instagram profile?"""

from django.db import migrations

TASK = "webhooks.tasks.check_webhooks_arriving"
NAME = "Webhooks: flag profiles whose comment webhooks do not arrive"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_half_hour, _ = IntervalSchedule.objects.get_or_create(every=30, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "interval": every_half_hour, "queue": "webhooks", "enabled": True}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0002_sweep_schedule")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
