"""Writing the central register: `next_entry_number()` and `write_entry()` number an entry and
write it with its index lines in one transaction; `record_correction()` records a correction
beside an entry. These are the only writers of `RegisterEntry`, `IndexName` and
`EntryCorrection` (DESIGN.md invariant 1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from identity.audit import record_audit
from identity.models import RegisterOffice, User

from .models import EntryCorrection, EntryCounter, Event, IndexName, RegisterEntry, Registration
from .names import phonetic_code, surname_key

UK = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class IndexLine:
    """One person an entry is indexed under."""

    surname: str
    forenames: str
    other_surname: str = ""
    age: int | None = None


def next_entry_number(*, district: RegisterOffice, event: str, year: int) -> int:
    """The next number in one register. Must run inside the transaction that writes the entry:
    the counter row stays locked until it commits, so parallel registrations queue here, and a
    rollback gives the number back — no gaps, no repeats."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_entry_number() must run inside the entry's transaction")
    # Create the counter if this is the register's first entry; a parallel creator is ignored
    # (ON CONFLICT DO NOTHING) rather than failing, then both queue on the row lock below.
    EntryCounter.objects.bulk_create(
        [EntryCounter(district=district, event=event, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = EntryCounter.objects.select_for_update().get(district=district, event=event, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def write_entry(
    *,
    district: RegisterOffice,
    event: str,
    event_date: date,
    surname: str,
    forenames: str,
    particulars: dict[str, Any],
    index_lines: list[IndexLine],
    registration: Registration | None = None,
    registered_by: User | None = None,
    automatically: bool = False,
    late_authority: bool = False,
    registered_at: datetime | None = None,
    historic: bool = False,
) -> RegisterEntry:
    """Number and write one entry with its index lines. Staff registrations are audited."""
    if event not in Event.values:
        raise ValueError(f"unknown event {event!r}")
    if not index_lines:
        raise ValueError("an entry is indexed under at least one name")
    registered_at = registered_at or timezone.now()
    registered_on = registered_at.astimezone(UK).date()
    with transaction.atomic():
        number = next_entry_number(district=district, event=event, year=registered_on.year)
        entry = RegisterEntry.objects.create(
            district=district,
            event=event,
            year=registered_on.year,
            number=number,
            event_date=event_date,
            surname=surname,
            forenames=forenames,
            particulars=particulars,
            registration=registration,
            registered_at=registered_at,
            registered_by=registered_by,
            registered_automatically=automatically,
            late_authority=late_authority,
            historic=historic,
        )
        IndexName.objects.bulk_create(
            [
                IndexName(
                    entry=entry,
                    event=event,
                    district=district,
                    year=registered_on.year,
                    quarter=quarter_of(registered_on),
                    surname=line.surname,
                    forenames=line.forenames,
                    surname_key=surname_key(line.surname),
                    surname_phonetic=phonetic_code(line.surname),
                    other_surname=line.other_surname,
                    age=line.age,
                )
                for line in index_lines
            ]
        )
        if registered_by is not None:
            record_audit(
                actor=registered_by,
                action="register.entry_written",
                object_type="register_entry",
                object_id=entry.pk,
                subject=registration.informant if registration else None,
                detail={"entry": entry.entry_reference, "registration": registration.reference if registration else ""},
            )
    return entry


class CorrectionRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def record_correction(
    *, entry: RegisterEntry, field: str, new_value: str, reason: str, evidence: str, actor: User
) -> EntryCorrection:
    """Record a correction beside the entry; the entry keeps its original text. The value before
    is the latest correction of that field, or else the entry's own."""
    if field not in entry.particulars:
        raise CorrectionRefused("unknown_field")
    if not reason.strip() or not evidence.strip():
        raise CorrectionRefused("reason_and_evidence_needed")
    with transaction.atomic():
        # Corrections of one entry are recorded one at a time, so "the value before" is right.
        list(RegisterEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk", flat=True))
        previous = entry.corrections.filter(field=field).order_by("-corrected_at", "-id").first()
        old_value = previous.new_value if previous else str(entry.particulars.get(field, ""))
        if old_value == new_value:
            raise CorrectionRefused("no_change")
        correction = EntryCorrection.objects.create(
            entry=entry,
            field=field,
            old_value=old_value,
            new_value=new_value,
            reason=reason.strip(),
            evidence=evidence.strip(),
            corrected_by=actor,
        )
        record_audit(
            actor=actor,
            action="register.entry_corrected",
            object_type="register_entry",
            object_id=entry.pk,
            reason=reason.strip(),
            detail={"entry": entry.entry_reference, "field": field},
        )
    return correction


def current_particulars(entry: RegisterEntry) -> dict[str, Any]:
    """The entry's particulars with every correction applied, latest last: what a certificate
    issued today shows (with the corrections listed beside it)."""
    particulars = dict(entry.particulars)
    for correction in entry.corrections.order_by("corrected_at", "id"):
        particulars[correction.field] = correction.new_value
    return particulars
