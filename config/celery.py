"""The Celery application. Broker and schedule come from Django settings (CELERY_*)."""

import functools
import os

from celery import Celery
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("registrar_online")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class PromptReconnectConsumer(Consumer):
    """The worker's consumer, retrying a lost broker every second or so (at most
    CELERY_BROKER_RECONNECT_MAX_SECONDS apart) instead of kombu's 2, 4, 6… 30 s, so work
    restarts within seconds of the broker coming back."""

    def ensure_connected(self, conn):
        from django.conf import settings

        conn.ensure_connection = functools.partial(
            conn.ensure_connection,
            interval_start=1,
            interval_step=1,
            interval_max=settings.CELERY_BROKER_RECONNECT_MAX_SECONDS,
        )
        return super().ensure_connected(conn)


@app.task(name="config.celery.remove_orphan_files", acks_late=True)
def remove_orphan_files() -> int:
    """Beat: stored files that no row refers to (their process died before its commit)."""
    from core.storage import remove_orphan_files as sweep

    return sweep()
