"""Runs heartbeat, the backfill cursor moves from Redis to the Profile row, and beat re-queues the
work a killed worker left (collector.stale_work) every minute."""

from django.db import migrations, models

SCHEDULE = ("collector: re-queue interrupted work", "collector.stale_work.requeue_stale_work", 1)


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, minutes = SCHEDULE
    interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
    PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "queue": "collect", "interval": interval})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0010_quirks_insights_unavailable_suppressed_reach_breakdown"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="backfill_after",
            field=models.CharField(
                blank=True,
                help_text="Meta's cursor after the last media page loaded: an interrupted backfill resumes there.",
                max_length=500,
                verbose_name="backfill cursor",
            ),
        ),
        migrations.AddField(
            model_name="collectionrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last heartbeat"),
        ),
        migrations.AddField(
            model_name="collectionrun",
            name="lock_token",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="collectionrun",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("running", "Running"),
                    ("ok", "Completed"),
                    ("retry", "Paused, will retry"),
                    ("interrupted", "Interrupted, resumed"),
                    ("failed", "Failed"),
                    ("needs_reconnect", "Token needs reconnect"),
                ],
                default="running",
                max_length=20,
                verbose_name="outcome",
            ),
        ),
        migrations.AddIndex(
            model_name="collectionrun",
            index=models.Index(fields=["outcome", "heartbeat_at"], name="run_outcome_heartbeat"),
        ),
        migrations.RunPython(create, remove),
    ]
