"""Register events told to integrators ("tell us once"): `publish()` records a `registered` or
`corrected` event once, with a delivery row per subscribed integrator, and enqueues the signed
webhooks when the caller's transaction commits; `announce_audit_checkpoint()` does the same for
each new signed checkpoint of the audit log."""

from __future__ import annotations

import json
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.queue import enqueue_on_commit

from .models import (
    EntryCorrection,
    Event,
    EventKind,
    RegisterEntry,
    RegisterEvent,
    WebhookDelivery,
    WebhookSubscription,
)


def _partnership(entry: RegisterEntry) -> dict:
    """For a marriage or civil partnership, what an integrator needs beside the entry's first
    party: both parties' names, the form of ceremony, and for a converted marriage the
    partnership's entry. No ages, addresses or parents, as births and deaths carry none."""
    if entry.event not in (Event.MARRIAGE, Event.CIVIL_PARTNERSHIP):
        return {}
    particulars = entry.particulars or {}
    converted = particulars.get("converted_from")
    return {
        "partnership": {
            "parties": [
                {
                    "forenames": str(particulars.get(f"party{position}_forenames") or ""),
                    "surname": str(particulars.get(f"party{position}_surname") or ""),
                }
                for position in (1, 2)
            ],
            "form": particulars.get("form") or None,
            "converted_from": converted.get("entry") if isinstance(converted, dict) else None,
        }
    }


# Registers whose events carry no names: a still-birth entry is private to the parents and the
# register office (REGISTRATION-RULES.md "Stillbirths"), so integrators learn only that it was made.
NAMELESS_EVENTS = frozenset({Event.STILLBIRTH})


def _correction(correction: EntryCorrection | None, *, nameless: bool) -> dict | None:
    """What changed; for a nameless register only which particular, never its values."""
    if correction is None:
        return None
    if nameless:
        return {"field": correction.field, "corrected_at": correction.corrected_at.isoformat()}
    return {
        "field": correction.field,
        "old_value": correction.old_value,
        "new_value": correction.new_value,
        "corrected_at": correction.corrected_at.isoformat(),
    }


def _body(*, event_id: uuid.UUID, kind: str, entry: RegisterEntry, correction: EntryCorrection | None, at) -> str:
    nameless = entry.event in NAMELESS_EVENTS
    payload = {
        "id": str(event_id),
        "kind": kind,
        "created_at": at.isoformat(),
        "entry": {
            "reference": entry.entry_reference,
            "event": entry.event,
            "district": entry.district.code,
            "district_name": entry.district.name,
            "year": entry.year,
            "number": entry.number,
            "event_date": entry.event_date.isoformat(),
            "surname": "" if nameless else entry.surname,
            "forenames": "" if nameless else entry.forenames,
            "registered_at": entry.registered_at.isoformat(),
            "late_authority": entry.late_authority,
        },
        "registration": entry.registration.reference if entry.registration_id else None,
        **_partnership(entry),
        "correction": _correction(correction, nameless=nameless),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def _existing(kind: str, entry: RegisterEntry, correction: EntryCorrection | None) -> RegisterEvent | None:
    if kind == EventKind.REGISTERED:
        return RegisterEvent.objects.filter(kind=kind, entry=entry).first()
    return RegisterEvent.objects.filter(kind=kind, correction=correction).first()


def publish(*, kind: str, entry: RegisterEntry, correction: EntryCorrection | None = None) -> RegisterEvent:
    """Record the event and a delivery to every active subscription that wants this kind; the
    webhooks go out after commit. Publishing the same entry's `registered` (or the same
    correction's `corrected`) again returns the first event and sends nothing more."""
    if kind not in EventKind.values:
        raise ValueError(f"unknown event kind {kind!r}")
    if (kind == EventKind.CORRECTED) != (correction is not None):
        raise ValueError("a corrected event needs its correction, and only a corrected event has one")
    if correction is not None and correction.entry_id != entry.pk:
        raise ValueError("the correction is not of this entry")
    with transaction.atomic():
        event_id = uuid.uuid4()
        now = timezone.now()
        try:
            # A savepoint: the constraints allow one event per entry registered and per correction,
            # so a repeat (or a parallel publisher's) fails here and the first event is read back.
            # Almost every call is the first, so no read is made before the insert.
            with transaction.atomic():
                event = RegisterEvent.objects.create(
                    event_id=event_id,
                    kind=kind,
                    entry=entry,
                    correction=correction,
                    registration_id=entry.registration_id,
                    body=_body(event_id=event_id, kind=kind, entry=entry, correction=correction, at=now),
                    created_at=now,
                )
        except IntegrityError:
            existing = _existing(kind, entry, correction)
            if existing is None:
                raise
            return existing
        # Kinds are a short JSON list; filtering in Python works the same on SQLite and PostgreSQL.
        subscriptions = [s for s in WebhookSubscription.objects.filter(active=True) if kind in (s.events or [])]
        if subscriptions:
            # The event is new and not yet committed, so its deliveries are the ones written here.
            WebhookDelivery.objects.bulk_create(
                [WebhookDelivery(event=event, subscription=s, next_attempt_at=now) for s in subscriptions],
                ignore_conflicts=True,
            )
            for delivery_id in event.deliveries.values_list("pk", flat=True):
                enqueue_on_commit("registrar.tasks.deliver_webhook", delivery_id)
    return event


# Fixed so that a checkpoint announced twice keeps one event id: receivers ignore the repeat.
_CHECKPOINT_EVENT_NAMESPACE = uuid.UUID("5b0c4f8e-3f1e-4d8a-9a57-2c1d7e0a6b13")


def announce_audit_checkpoint(*, checkpoint, document: dict) -> RegisterEvent:
    """Tell integrators subscribed to `audit_checkpoint` of a new signed checkpoint of the audit
    log (AUDIT_CHECKPOINT_LISTENERS), so copies of it exist outside the service too. The body
    carries the signed document as stored; verify it with the published public key."""
    event_id = uuid.uuid5(_CHECKPOINT_EVENT_NAMESPACE, checkpoint.storage_name)
    with transaction.atomic():
        existing = RegisterEvent.objects.filter(event_id=event_id).first()
        if existing is not None:
            return existing
        now = timezone.now()
        body = {
            "id": str(event_id),
            "kind": EventKind.AUDIT_CHECKPOINT,
            "created_at": now.isoformat(),
            "checkpoint": document,
            "storage_name": checkpoint.storage_name,
        }
        event = RegisterEvent.objects.create(
            event_id=event_id,
            kind=EventKind.AUDIT_CHECKPOINT,
            body=json.dumps(body, sort_keys=True, separators=(",", ":")),
            created_at=now,
        )
        subscriptions = [
            s for s in WebhookSubscription.objects.filter(active=True) if EventKind.AUDIT_CHECKPOINT in (s.events or [])
        ]
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(event=event, subscription=s, next_attempt_at=now) for s in subscriptions],
            ignore_conflicts=True,
        )
        for delivery_id in event.deliveries.values_list("pk", flat=True):
            enqueue_on_commit("registrar.tasks.deliver_webhook", delivery_id)
    return event
