"""Writing the central register: `next_entry_number()` and `write_entry()` number an entry and
write it with its index lines in one transaction; `write_historic_year()` bulk-writes a year of
historic entries the same way; `record_correction()` records a correction beside an entry (and,
when it changes a name the index holds, a new index line under the corrected name);
`write_reregistration()` writes the new entry of a re-registered birth and the mark beside the
original. These are the only writers of `RegisterEntry`, `IndexName`, `EntryCorrection` and
`EntryReRegistration` (DESIGN.md invariant 1)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from identity.audit import record_audit
from identity.models import RegisterOffice, User

from .models import (
    PUBLIC_INDEX_EVENTS,
    EntryCorrection,
    EntryCounter,
    EntryReRegistration,
    Event,
    IndexName,
    RegisterEntry,
    Registration,
)
from .names import phonetic_code, phonetic_of_key, surname_key
from .refusals import CorrectionRefused

UK = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class IndexLine:
    """One person an entry is indexed under."""

    surname: str
    forenames: str
    other_surname: str = ""
    age: int | None = None


class HistoricEntry(NamedTuple):
    """One entry of a historic register, as loaded from the paper registers (no registration)."""

    registered_at: datetime
    district: RegisterOffice
    event: str
    event_date: date
    surname: str
    forenames: str
    particulars: dict[str, Any]
    index_lines: list[IndexLine]


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
    """Number and write one entry with its index lines (none for the registers outside the
    public index: still-births and citizenship ceremonies). Staff registrations are audited."""
    if event not in Event.values:
        raise ValueError(f"unknown event {event!r}")
    if event in PUBLIC_INDEX_EVENTS and not index_lines:
        raise ValueError("an entry is indexed under at least one name")
    if event not in PUBLIC_INDEX_EVENTS and index_lines:
        raise ValueError(f"{event} entries are never in the public index")
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


# Historic registers run to millions of entries: each distinct surname is normalised once, and
# rows are inserted directly (PostgreSQL: COPY, SQLite: batched INSERTs) rather than one ORM
# save at a time. A national register has hundreds of thousands of distinct surnames.


class _SurnameKeys(dict):
    """surname → (search key, sounds-like code), worked out once per distinct surname."""

    def __missing__(self, surname: str) -> tuple[str, str]:
        key = surname_key(surname)
        keys = self[surname] = (key, phonetic_of_key(key))
        return keys


_surname_keys = _SurnameKeys()
BATCH = 5000
INSERT_ENTRY = (
    "INSERT INTO registrar_registerentry (id, district_id, event, year, number, event_date, surname, forenames, "
    "particulars, registered_at, registered_automatically, late_authority, historic) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
INSERT_LINE = (
    "INSERT INTO registrar_indexname (id, entry_id, event, district_id, year, quarter, surname, forenames, "
    "surname_key, surname_phonetic, other_surname, age) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
COPY_ENTRIES = (
    "COPY registrar_registerentry (id, district_id, event, year, number, event_date, surname, forenames, "
    "particulars, registered_at, registered_automatically, late_authority, historic) FROM STDIN"
)
COPY_LINES = (
    "COPY registrar_indexname (id, entry_id, event, district_id, year, quarter, surname, forenames, "
    "surname_key, surname_phonetic, other_surname, age) FROM STDIN"
)


def write_historic_year(*, year: int, entries: list[HistoricEntry]) -> int:
    """Write one year of historic entries with their index lines in one transaction, numbered
    consecutively per district and event in the order they were registered, from the register's
    counters (which are brought up to date, so later registrations carry on the numbering)."""
    registers: dict[tuple[int, str], list[HistoricEntry]] = defaultdict(list)
    for entry in entries:
        if entry.registered_at.astimezone(UK).year != year:
            raise ValueError(f"an entry registered on {entry.registered_at:%Y-%m-%d} is not of {year}")
        registers[(entry.district.pk, entry.event)].append(entry)
    with transaction.atomic():
        counters = {
            (counter.district_id, counter.event): counter
            for counter in EntryCounter.objects.select_for_update().filter(year=year)
        }
        numbered: list[tuple[int, HistoricEntry]] = []
        for (district_id, event), register in registers.items():
            register.sort(key=lambda entry: entry.registered_at)
            counter = counters.get((district_id, event))
            if counter is None:
                counter = counters[(district_id, event)] = EntryCounter(
                    district_id=district_id, event=event, year=year, last_number=0
                )
            for entry in register:
                counter.last_number += 1
                numbered.append((counter.last_number, entry))
        entry_ids = _reserve_ids(RegisterEntry, len(numbered))
        line_ids = iter(_reserve_ids(IndexName, sum(len(entry.index_lines) for _number, entry in numbered)))
        # COPY takes Python values as they are; the batched INSERTs take them adapted.
        copying = connection.vendor == "postgresql"
        ops = connection.ops
        encode = json.JSONEncoder(check_circular=False).encode  # the same text as json.dumps
        keys = _surname_keys
        entry_rows, line_rows = [], []
        for entry_id, (number, entry) in zip(entry_ids, numbered, strict=True):
            district_id, event, registered_at = entry.district.pk, entry.event, entry.registered_at
            entry_rows.append(
                (
                    entry_id,
                    district_id,
                    event,
                    year,
                    number,
                    entry.event_date if copying else ops.adapt_datefield_value(entry.event_date),
                    entry.surname,
                    entry.forenames,
                    encode(entry.particulars),
                    registered_at if copying else ops.adapt_datetimefield_value(registered_at),
                    False,
                    False,
                    True,
                )
            )
            quarter = (registered_at.astimezone(UK).month - 1) // 3 + 1  # quarter_of, inlined
            for line in entry.index_lines:
                surname = line.surname
                key, phonetic = keys[surname]
                line_rows.append(
                    (
                        next(line_ids),
                        entry_id,
                        event,
                        district_id,
                        year,
                        quarter,
                        surname,
                        line.forenames,
                        key,
                        phonetic,
                        line.other_surname,
                        line.age,
                    )
                )
        with connection.cursor() as cursor:
            if copying:
                _copy(cursor, COPY_ENTRIES, entry_rows)
                _copy(cursor, COPY_LINES, line_rows)
            else:
                for batch in range(0, len(entry_rows), BATCH):
                    cursor.executemany(INSERT_ENTRY, entry_rows[batch : batch + BATCH])
                for batch in range(0, len(line_rows), BATCH):
                    cursor.executemany(INSERT_LINE, line_rows[batch : batch + BATCH])
        for counter in counters.values():
            if counter.pk is not None:
                counter.save(update_fields=["last_number"])
        EntryCounter.objects.bulk_create([counter for counter in counters.values() if counter.pk is None])
    return len(entry_rows)


def _copy(cursor, statement: str, rows: list[tuple]) -> None:
    """Rows streamed through PostgreSQL's COPY on the transaction's own connection (psycopg)."""
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows inserted directly. PostgreSQL: taken from the table's own sequence,
    so parallel registrations never collide. SQLite: the transaction holds the write lock."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


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
        _index_correction(entry, correction)
    return correction


# --- Corrections reach the index ---------------------------------------------------------------------

# Which particulars the index holds, by event: field -> (the line's position, its attribute). A
# marriage party's surname is also the other party's line's "other surname".
INDEXED_FIELDS: dict[str, dict[str, list[tuple[int, str]]]] = {
    Event.BIRTH: {
        "child_forenames": [(0, "forenames")],
        "child_surname": [(0, "surname")],
        "mother_maiden_surname": [(0, "other_surname")],
    },
    Event.DEATH: {"deceased_forenames": [(0, "forenames")], "deceased_surname": [(0, "surname")]},
    **{
        event: {
            "party1_forenames": [(0, "forenames")],
            "party1_surname": [(0, "surname"), (1, "other_surname")],
            "party2_forenames": [(1, "forenames")],
            "party2_surname": [(1, "surname"), (0, "other_surname")],
        }
        for event in (Event.MARRIAGE, Event.CIVIL_PARTNERSHIP)
    },
}


def _index_correction(entry: RegisterEntry, correction: EntryCorrection) -> list[IndexName]:
    """A correction of a name the index holds adds a line under the corrected particulars, beside
    the entry's own line (which stays, for registrars and for searches by the name as first
    registered). Each new line carries every correction so far of that person and `replaces`
    their original line, so the public search shows one line per person, the latest."""
    targets = INDEXED_FIELDS.get(entry.event, {}).get(correction.field, [])
    if not targets:
        return []
    originals = list(IndexName.objects.filter(entry=entry, replaces__isnull=True).order_by("pk"))
    written = []
    for position, attribute in targets:
        if position >= len(originals):
            continue
        original = originals[position]
        latest = IndexName.objects.filter(replaces=original).order_by("-pk").first() or original
        values = {name: getattr(latest, name) for name in ("surname", "forenames", "other_surname", "age")}
        values[attribute] = correction.new_value
        written.append(
            IndexName.objects.create(
                entry=entry,
                event=entry.event,
                district_id=entry.district_id,
                year=original.year,
                quarter=original.quarter,
                surname_key=surname_key(values["surname"]),
                surname_phonetic=phonetic_code(values["surname"]),
                correction=correction,
                replaces=original,
                **values,
            )
        )
    return written


# --- Re-registration of a birth ------------------------------------------------------------------


def write_reregistration(
    *,
    original: RegisterEntry,
    surname: str,
    forenames: str,
    particulars: dict[str, Any],
    index_lines: list[IndexLine],
    reason: str,
    evidence: str,
    by: User,
    registered_by: User | None = None,
) -> EntryReRegistration:
    """Write the new entry of a re-registered birth (the next number of the original's district,
    this year) and, in the same transaction, the write-once mark beside the original naming it.
    The original entry is not changed. `by` is who made it happen (the parent who confirmed
    last, or the registrar); `registered_by` is the registrar, None when both parents did it
    online. A birth is re-registered from an entry once: the new entry is the one to start from
    next time."""
    if original.event != Event.BIRTH:
        raise ValueError("only a birth is re-registered")
    if not evidence.strip():
        raise ValueError("a re-registration says on what evidence it was made")
    with transaction.atomic():
        list(RegisterEntry.objects.select_for_update().filter(pk=original.pk).values_list("pk", flat=True))
        if EntryReRegistration.objects.filter(original=original).exists():
            raise ValueError(f"entry {original.entry_reference} is already re-registered")
        new_entry = write_entry(
            district=original.district,
            event=Event.BIRTH,
            event_date=original.event_date,
            surname=surname,
            forenames=forenames,
            particulars=particulars,
            index_lines=index_lines,
            registered_by=registered_by,
            automatically=registered_by is None,
        )
        mark = EntryReRegistration.objects.create(
            original=original, new_entry=new_entry, reason=reason, evidence=evidence.strip(), by=by
        )
        record_audit(
            actor=by,
            action="register.entry_reregistered",
            object_type="register_entry",
            object_id=original.pk,
            detail={"entry": original.entry_reference, "new_entry": new_entry.entry_reference, "reason": reason},
        )
    return mark


def current_particulars(entry: RegisterEntry, corrections: list | None = None) -> dict[str, Any]:
    """The entry's particulars with every correction applied, latest last: what a certificate
    issued today shows (with the corrections listed beside it). `corrections`: the entry's, in
    that order, when the caller has read them already."""
    particulars = dict(entry.particulars)
    for correction in entry.corrections.order_by("corrected_at", "id") if corrections is None else corrections:
        particulars[correction.field] = correction.new_value
    return particulars
