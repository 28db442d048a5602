"""Comment polling runs every 15 minutes: flagged profiles are polled each time, the others
hourly (collector.tasks.poll_comments_all decides)."""

from django.db import migrations

NAME = "collector: comment polling"


def every(minutes: int):
    def change(apps, schema_editor):
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.filter(name=NAME).update(interval=interval)

    return change


class Migration(migrations.Migration):
    dependencies = [("collector", "0005_beat_schedules")]

    operations = [migrations.RunPython(every(15), every(30))]
