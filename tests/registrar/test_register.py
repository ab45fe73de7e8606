"""The central register (DESIGN.md invariant 1): entries numbered 1, 2, 3… per district, event
and year, never changed or deleted, corrections recorded beside them, index lines normalised."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from identity.models import AuditEntry
from registrar import register
from registrar.models import EntryCounter, IndexName, RegisterEntry
from registrar.names import phonetic_code, surname_key
from tests.factories import RegisterOfficeFactory, StaffFactory

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


def write(district, *, event="birth", surname="Smith", when=None, **extra):
    return register.write_entry(
        district=district,
        event=event,
        event_date=date(2026, 1, 5),
        surname=surname,
        forenames="Ada Mary",
        particulars={"child_surname": surname, "child_forenames": "Ada Mary", "place_of_birth": "Leeds"},
        index_lines=[register.IndexLine(surname=surname, forenames="Ada Mary", other_surname="Jones")],
        registered_at=when,
        **extra,
    )


def test_numbers_are_consecutive_per_district_event_and_year():
    leeds, york = RegisterOfficeFactory(), RegisterOfficeFactory()
    numbers = [write(leeds).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert write(york).number == 1
    assert write(leeds, event="death").number == 1
    assert write(leeds, when=datetime(2027, 1, 1, 0, 30, tzinfo=UK)).number == 1


def test_the_registration_year_is_the_uk_year():
    leeds = RegisterOfficeFactory()
    # 23:30 on 31 December in London is still that year, whatever UTC says in summer or winter.
    entry = write(leeds, when=datetime(2026, 12, 31, 23, 30, tzinfo=UK))
    assert entry.year == 2026
    assert entry.index_names.get().quarter == 4


def test_a_rolled_back_entry_gives_its_number_back():
    leeds = RegisterOfficeFactory()
    write(leeds)
    with pytest.raises(RuntimeError), transaction.atomic():
        write(leeds)
        raise RuntimeError("the registration failed after numbering")
    assert write(leeds).number == 2
    assert EntryCounter.objects.get(district=leeds, event="birth").last_number == 2


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        register.next_entry_number(district=RegisterOfficeFactory(), event="birth", year=2026)


def test_an_entry_cannot_be_changed_or_deleted():
    entry = write(RegisterOfficeFactory())
    entry.surname = "Jones"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert RegisterEntry.objects.get(pk=entry.pk).surname == "Smith"


def test_index_lines_carry_a_search_key_and_a_sounds_like_code():
    entry = write(RegisterOfficeFactory(), surname="O'Brien-Smyth")
    line = entry.index_names.get()
    assert line.surname_key == "OBRIEN SMYTH"
    assert line.surname_phonetic == phonetic_code("OBrien Smith")
    assert line.other_surname == "Jones"


@pytest.mark.parametrize(
    "first, second", [("Smith", "Smyth"), ("Jones", "Johns"), ("McDonald", "Macdonald"), ("Llewellyn", "Lewellen")]
)
def test_names_that_sound_alike_share_a_code(first, second):
    assert phonetic_code(first) == phonetic_code(second)


def test_surname_key_drops_accents_and_punctuation():
    assert surname_key("  Siôn-Prys  ") == "SION PRYS"
    assert surname_key("D'Arcy") == "DARCY"
    assert phonetic_code("") == ""


def test_a_correction_is_recorded_beside_the_entry_which_keeps_its_text():
    entry = write(RegisterOfficeFactory())
    registrar = StaffFactory()
    first = register.record_correction(
        entry=entry,
        field="place_of_birth",
        new_value="Leeds General Infirmary",
        reason="Hospital name",
        evidence="Hospital letter seen",
        actor=registrar,
    )
    second = register.record_correction(
        entry=entry,
        field="place_of_birth",
        new_value="St James's Hospital, Leeds",
        reason="Wrong hospital",
        evidence="Discharge summary seen",
        actor=registrar,
    )
    assert (first.old_value, second.old_value) == ("Leeds", "Leeds General Infirmary")
    entry.refresh_from_db()
    assert entry.particulars["place_of_birth"] == "Leeds"
    assert register.current_particulars(entry)["place_of_birth"] == "St James's Hospital, Leeds"
    assert AuditEntry.objects.filter(action="register.entry_corrected", object_id=str(entry.pk)).count() == 2


@pytest.mark.parametrize(
    "field, value, reason, evidence, refusal",
    [
        ("no_such_field", "x", "why", "seen", "unknown_field"),
        ("place_of_birth", "York", " ", "seen", "reason_and_evidence_needed"),
        ("place_of_birth", "York", "why", "", "reason_and_evidence_needed"),
        ("place_of_birth", "Leeds", "why", "seen", "no_change"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_is_written(field, value, reason, evidence, refusal):
    entry = write(RegisterOfficeFactory())
    with pytest.raises(register.CorrectionRefused) as refused:
        register.record_correction(
            entry=entry, field=field, new_value=value, reason=reason, evidence=evidence, actor=StaffFactory()
        )
    assert refused.value.reason == refusal
    assert not entry.corrections.exists()


def test_an_entry_needs_an_index_line_and_a_known_event():
    leeds = RegisterOfficeFactory()
    with pytest.raises(ValueError):
        write(leeds, event="adoption")
    with pytest.raises(ValueError):
        register.write_entry(
            district=leeds,
            event="birth",
            event_date=date(2026, 1, 1),
            surname="A",
            forenames="B",
            particulars={},
            index_lines=[],
        )
    assert not RegisterEntry.objects.exists() and not IndexName.objects.exists()
