"""The Celery application. Workers consume the queues webhooks, collect, publish and default."""

import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdatalab.settings")

app = Celery("socialdatalab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _start_heartbeat(**_: object) -> None:
    from socialdatalab.health import start_worker_heartbeat

    start_worker_heartbeat()


@worker_shutdown.connect
def _stop_heartbeat(**_: object) -> None:
    from socialdatalab.health import stop_worker_heartbeat

    stop_worker_heartbeat()
