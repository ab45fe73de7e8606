"""Register events told to integrators ("tell us once"): `publish()` records a `registered` or
`corrected` event once, with a delivery row per subscribed integrator, and enqueues the signed
webhooks when the caller's transaction commits."""

from __future__ import annotations

import json
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.queue import enqueue_on_commit

from .models import EntryCorrection, EventKind, RegisterEntry, RegisterEvent, WebhookDelivery, WebhookSubscription


def _body(*, event_id: uuid.UUID, kind: str, entry: RegisterEntry, correction: EntryCorrection | None, at) -> str:
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
            "surname": entry.surname,
            "forenames": entry.forenames,
            "registered_at": entry.registered_at.isoformat(),
            "late_authority": entry.late_authority,
        },
        "registration": entry.registration.reference if entry.registration_id else None,
        "correction": None
        if correction is None
        else {
            "field": correction.field,
            "old_value": correction.old_value,
            "new_value": correction.new_value,
            "corrected_at": correction.corrected_at.isoformat(),
        },
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
        existing = _existing(kind, entry, correction)
        if existing is not None:
            return existing
        event_id = uuid.uuid4()
        now = timezone.now()
        try:
            # A savepoint: a parallel publisher of the same event wins the constraint, we read theirs.
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
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(event=event, subscription=s, next_attempt_at=now) for s in subscriptions],
            ignore_conflicts=True,
        )
        delivery_ids = list(event.deliveries.values_list("pk", flat=True))

        for delivery_id in delivery_ids:
            enqueue_on_commit("registrar.tasks.deliver_webhook", delivery_id)
    return event
