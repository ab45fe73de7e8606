"""Reminders before a registration's deadline (beat, hourly). Each reminder task takes an id,
re-reads the registration and checks it still applies, and its message key makes a second run
send nothing."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identity.models import User
from identity.notifications import send_message, written_for

from .. import rules
from ..models import Registration


def due_reminders(today: date) -> list[tuple[int, int]]:
    """(registration id, days before the deadline) for every reminder due today."""
    due = []
    for event, days_list in settings.REGISTRATION_REMINDER_DAYS.items():
        for days in days_list:
            due += [
                (pk, days)
                for pk in Registration.objects.filter(
                    event=event, status__in=Registration.REMINDABLE, deadline=today + timedelta(days=days)
                ).values_list("pk", flat=True)
            ]
    return due


@written_for
def deadline_reminder_message(recipient: User, registration: Registration) -> tuple[str, str]:
    what = _("the birth") if registration.event == "birth" else _("the death")
    values = {
        "reference": registration.reference,
        "what": what,
        "deadline": date_format(registration.deadline, "j F Y"),
    }
    if registration.status == Registration.Status.AWAITING_SECOND_PARENT:
        body = _(
            "We are still waiting for the other parent to confirm registration %(reference)s. Register %(what)s by "
            "%(deadline)s, or stop waiting and register alone."
        )
    else:
        body = _("Finish registration %(reference)s: register %(what)s by %(deadline)s. Sign in to continue.")
    return _("Register %(what)s by %(deadline)s") % values, body % values


@shared_task(acks_late=True)
def send_registration_reminders() -> int:
    """Beat, hourly: one task per reminder due today."""
    due = due_reminders(rules.local_today())
    for registration_id, days in due:
        remind_registration.delay(registration_id, days)
    return len(due)


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS,  # inside the visibility timeout
    max_retries=5,
)
def remind_registration(registration_id: int, days: int) -> bool:
    registration = Registration.objects.select_related("informant").filter(pk=registration_id).first()
    if registration is None or registration.status not in Registration.REMINDABLE or registration.deadline is None:
        return False
    if (registration.deadline - rules.local_today()).days != days:
        return False  # the deadline moved since (a new date of birth, a different MCCD)
    subject, body = deadline_reminder_message(registration.informant, registration)
    send_message(
        key=f"registration:{registration.reference}:reminder:{registration.deadline.isoformat()}:{days}",
        channel="email",
        to=registration.informant.email,
        subject=subject,
        body=body,
    )
    return True
