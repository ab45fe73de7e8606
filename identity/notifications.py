"""The one notifications service: `send_message()` records an email or text message and a
Celery task delivers it through the backend chosen by `NOTIFICATIONS_BACKEND`."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone, translation
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from core.queue import enqueue_on_commit

from .models import CodeChannel, MessageStatus, OutboundMessage, User

logger = logging.getLogger(__name__)

# A message the provider refuses this many times is marked failed (10 attempts span about 40
# minutes with the task's backoff), for a service admin to see, instead of being tried for ever.
MESSAGE_MAX_ATTEMPTS = 10


class DeliveryError(Exception):
    """The provider did not accept the message; the task retries it."""


class OutboxBackend:
    """Development: the database row is the delivered message, read at /dev/outbox/."""

    def send(self, message: OutboundMessage) -> str:
        return f"outbox-{message.pk}"


class NotifyBackend:
    """Production: GOV.UK Notify, with one generic template per channel taking the text."""

    def __init__(self) -> None:
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)

    def send(self, message: OutboundMessage) -> str:
        try:
            if message.channel == CodeChannel.EMAIL:
                response = self.client.send_email_notification(
                    email_address=message.to,
                    template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=message.key,
                )
            else:
                response = self.client.send_sms_notification(
                    phone_number=message.to,
                    template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                    personalisation={"body": message.body},
                    reference=message.key,
                )
        except (HTTPError, OSError) as error:
            raise DeliveryError(str(error)) from error
        return str(response.get("id", ""))


BACKENDS = {"outbox": OutboxBackend, "notify": NotifyBackend}


def get_backend():
    return BACKENDS[settings.NOTIFICATIONS_BACKEND]()


def send_message(*, key: str, channel: str, to: str, body: str, subject: str = "") -> OutboundMessage:
    """Record a message and send it once the caller's transaction commits. Calling again
    with the same key returns the first message and sends nothing more."""
    message = OutboundMessage(key=key, channel=channel, to=to, subject=subject, body=body)
    message.pk = _insert_unless_key_taken(message)
    if message.pk is None:
        return OutboundMessage.objects.get(key=key)
    message._state.adding = False
    message._state.db = router.db_for_write(OutboundMessage)
    enqueue_on_commit("identity.tasks.deliver_message", message.pk)
    return message


def _insert_unless_key_taken(message: OutboundMessage) -> int | None:
    """The new row's id, or None when a message with the same key exists. One statement
    (INSERT ... ON CONFLICT DO NOTHING RETURNING id), so the common case, a new key, costs one
    query and two callers racing on one key insert one row without a savepoint or an error."""
    database = router.db_for_write(OutboundMessage)
    opts = OutboundMessage._meta
    query = InsertQuery(OutboundMessage, on_conflict=OnConflict.IGNORE)
    query.insert_values([field for field in opts.local_concrete_fields if field is not opts.pk], [message])
    compiler = query.get_compiler(using=database)
    compiler.returning_fields = [opts.pk]
    ((sql, params),) = compiler.as_sql()
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _claim_attempt(message_id: int) -> OutboundMessage | None:
    """Count one attempt, committed before the send, so an attempt whose worker is killed
    mid-send counts too (the broker hands such a message back with no count of its own). The
    tries run out at MESSAGE_MAX_ATTEMPTS whatever stopped them. None if there is nothing to send."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.PENDING:
            return None
        if message.attempts >= MESSAGE_MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED
            message.last_error = message.last_error or "The last attempt did not finish."
            message.save(update_fields=["status", "last_error"])
            logger.warning("Message %s failed after %s attempts", message.pk, message.attempts)
            return None
        message.attempts += 1
        message.save(update_fields=["attempts"])
    return message


def deliver(*, message_id: int) -> OutboundMessage | None:
    """Send one pending message. Safe to run twice: the row lock, the status and the claimed
    attempt make the second run a no-op. A provider failure is recorded, then raised for the
    task to retry."""
    failure: DeliveryError | None = None
    claimed = _claim_attempt(message_id)
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if claimed is None or message is None or message.status != MessageStatus.PENDING:
            return message
        if message.attempts != claimed.attempts:
            # Another run claimed a later attempt after this one's claim: that run sends it.
            return message
        try:
            reference = get_backend().send(message)
        except DeliveryError as error:
            message.last_error = str(error)[:500]
            if message.attempts >= MESSAGE_MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
                logger.warning("Message %s failed after %s attempts", message.pk, message.attempts)
            else:
                failure = error
            message.save(update_fields=["status", "last_error"])
        else:
            message.status = MessageStatus.SENT
            message.sent_at = timezone.now()
            message.provider_reference = reference
            message.last_error = ""
            message.save(update_fields=["status", "sent_at", "provider_reference", "last_error"])
    if failure is not None:
        raise failure
    return message


def pending_message_ids(*, retry_in: Callable[[int], int], limit: int = 500) -> list[int]:
    """Pending messages whose task was lost: never tried and older than the sweep age, or tried
    and still pending well after their retry (`retry_in(attempts)`, the task's countdown) was due."""
    now = timezone.now()
    age = timedelta(seconds=settings.SIDE_EFFECT_SWEEP_AGE_SECONDS)
    due = Q(attempts=0, created_at__lt=now - age)
    waited = timedelta()
    for attempts in range(1, MESSAGE_MAX_ATTEMPTS):
        waited += timedelta(seconds=retry_in(attempts))
        due |= Q(attempts=attempts, created_at__lt=now - age - waited)
    return list(
        OutboundMessage.objects.filter(due, status=MessageStatus.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def language_of(person) -> str:
    """The language to write to `person` in: the one they chose, else the service's default.
    `person` may also be a language code, for an address with no account behind it."""
    chosen = person if isinstance(person, str) else getattr(person, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_language_of(person):
    """`with in_language_of(person):` around building a message, PDF or letter for them, so a
    task (which has no request) writes in the person's own language."""
    return translation.override(language_of(person))


def language_at(address: str, *, otherwise) -> str:
    """The language to write in to an email address or mobile number: that of the account it
    belongs to, if any, else `otherwise`'s (the person who gave us the address, or the language of
    the page they gave it on), as the invited have not chosen one with us yet."""
    address = (address or "").strip()
    account = None
    if address:
        account = User.objects.filter(Q(email__iexact=address) | Q(mobile_number=address)).only("language").first()
    return language_of(account if account is not None else otherwise)


def written_for(build: Callable[..., tuple[object, object]]) -> Callable[..., tuple[str, str]]:
    """Mark a function that writes one kind of message: `build(recipient, ...)` returns (subject,
    body) and runs inside `in_language_of(recipient)`, lazy text forced there. Building each
    message for its own recipient, never once for two people nor in the language of whoever's
    request or task happens to send it, is what makes a reminder sent by a task read in Welsh."""

    @functools.wraps(build)
    def write(recipient, *args, **kwargs) -> tuple[str, str]:
        with in_language_of(recipient):
            subject, body = build(recipient, *args, **kwargs)
            return str(subject), str(body)

    return write
