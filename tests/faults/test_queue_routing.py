"""Celery work is split into queues by kind (settings CELERY_TASK_ROUTES): every project task has
a route to a named queue, the beat schedule's tasks run on the sweeps queue, and a real worker
started with `-Q certificates` on a real Redis issues a certificate and leaves a message for the
messages queue's worker."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from certificates.models import CertificateOrder
from certificates.tasks import issue_order_task
from config.celery import app
from identity import notifications
from identity.models import MessageStatus, OutboundMessage
from tests.factories import historic_birth, paid_certificate_order
from tests.faults.workers import Worker, wait_for

PROJECT_APPS = ("booking.", "certificates.", "config.", "core.", "identity.", "performance.", "registrar.")


def _project_task_names() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(PROJECT_APPS))


def _explicit_route(name: str) -> str | None:
    """The queue a route in settings names for `name`, or None where only the default applies."""
    for router in app.amqp.routes:
        route = router(name, (), {}, {})
        if route:
            return route["queue"]
    return None


def test_every_project_task_is_routed_to_a_named_queue():
    names = _project_task_names()
    assert len(names) > 20  # the tasks were found, not an empty walk
    unrouted = [name for name in names if _explicit_route(name) is None]
    assert unrouted == []
    routes = {name: _explicit_route(name) for name in names}
    assert {name: queue for name, queue in routes.items() if queue not in settings.CELERY_TASK_QUEUES} == {}


def test_every_beat_task_runs_on_the_sweeps_queue():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {name: _explicit_route(name) for name in scheduled if _explicit_route(name) != "sweeps"} == {}


@pytest.mark.parametrize(
    ("name", "queue"),
    [
        ("identity.tasks.deliver_message", "messages"),
        ("booking.tasks.notify_booking", "messages"),
        ("registrar.tasks.reminders.remind_registration", "messages"),
        ("certificates.tasks.issue_order_task", "certificates"),
        ("certificates.tasks.render_certificate_task", "certificates"),
        ("registrar.tasks.webhooks.deliver_webhook", "webhooks"),
        ("registrar.tasks.interview_referrals.send_referral", "webhooks"),
        ("certificates.tasks.issue_waiting_certificates", "sweeps"),
        ("registrar.tasks.marriage_schedules.issue_authority", "default"),
    ],
)
def test_each_kind_of_work_is_published_to_its_own_queue(name, queue):
    assert app.amqp.router.route({}, name)["queue"].name == queue


def test_a_worker_with_no_queue_named_takes_every_queue():
    # `make run` starts one worker without -Q on the file broker: it must consume all of them.
    assert set(app.amqp.queues) == {"default", "messages", "certificates", "webhooks", "sweeps"}


def test_the_procfile_runs_a_worker_for_every_queue_and_beat_once():
    lines = (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines()
    commands = [line.split(":", 1)[1] for line in lines if re.match(r"^[\w-]+:", line)]
    consumed = [
        queue
        for command in commands
        if " worker " in command
        for queue in re.search(r" -Q ([\w,]+)", command).group(1).split(",")
    ]
    assert sorted(consumed) == sorted(settings.CELERY_TASK_QUEUES)  # each queue once, none left out
    assert sum(" beat " in command or command.rstrip().endswith(" beat") for command in commands) == 1


def _queue_length(broker_url: str, queue: str) -> int:
    port = broker_url.rsplit(":", 1)[1].split("/")[0]
    answer = subprocess.run(["redis-cli", "-p", port, "llen", queue], capture_output=True, text=True, check=True)
    return int(answer.stdout.strip())


@pytest.mark.postgres_only
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_certificates_worker_issues_certificates_and_leaves_messages_to_the_messages_worker(
    broker, certificate_settings
):
    with transaction.atomic():
        message = notifications.send_message(key="queues:1", channel="email", to="ada@example.com", body="Hello")
    order = paid_certificate_order(historic_birth())
    issue_order_task.delay(order.pk)

    certificates_worker = Worker(broker, env=certificate_settings, queues=("certificates",))
    certificates_worker.start()
    try:
        issued = wait_for(
            lambda: CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUED, 60
        )
        assert issued, certificates_worker.stop()
        # The order's own "issued" email, and the message sent before, wait on the messages queue.
        issued_email = OutboundMessage.objects.get(key=f"certificates:{order.reference}:issued")
        assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.PENDING
        assert issued_email.status == MessageStatus.PENDING
        # The worker publishes the email's task just after its commit: wait for it to arrive.
        assert wait_for(lambda: _queue_length(broker, "messages") == 2, 10), certificates_worker.stop()
        assert _queue_length(broker, "certificates") == 0
    finally:
        certificates_worker.stop()

    messages_worker = Worker(broker, queues=("messages",))
    messages_worker.start()
    try:
        sent = (message.pk, issued_email.pk)
        delivered = wait_for(
            lambda: OutboundMessage.objects.filter(pk__in=sent, status=MessageStatus.SENT).count() == 2
        )
        assert delivered, messages_worker.stop()
    finally:
        messages_worker.stop()
