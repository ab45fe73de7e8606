"""Side effects go to Celery after the transaction that caused them commits. When the broker is
down the work is not lost: the row that asked for it stays pending in the database and a beat
sweeper enqueues it again. These two helpers are that rule, written once."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def enqueue_or_leave_for_sweeper(task: Any, *args: Any) -> bool:
    """`task.delay(*args)`; on any broker failure log it and report False (the sweeper retries).
    `task` may be a dotted path, so that a service need not import the tasks module that imports it."""
    if isinstance(task, str):
        task = import_string(task)
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure; the pending row is the retry
        logger.exception("Could not enqueue %s%r; the sweeper will retry", getattr(task, "name", task), args)
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Enqueue `task` once the current transaction commits, or leave it for the sweeper."""
    transaction.on_commit(lambda: enqueue_or_leave_for_sweeper(task, *args))
