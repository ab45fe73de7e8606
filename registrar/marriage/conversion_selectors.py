"""Reads for converting a civil partnership: the partnership's entry by its reference (from the
whole central register: a couple may make the declaration at any register office), a summary of
it for the registrar to compare with the partners before them, and a conversion by reference."""

from __future__ import annotations

from identity.models import RegisterOffice, User

from ..case_selectors import parse_entry_reference
from ..models import Conversion, RegisterEntry
from ..register import current_particulars
from . import particulars as keys


def entry_by_reference(reference: str) -> RegisterEntry | None:
    parsed = parse_entry_reference(reference)
    if parsed is None:
        return None
    district, event, year, number = parsed
    return (
        RegisterEntry.objects.select_related("district")
        .filter(district__code__iexact=district, event=event, year=year, number=number)
        .first()
    )


def partnership_summary(entry: RegisterEntry) -> dict:
    """What the registrar compares with the two people before them: names, ages then, the date
    and place of formation (as corrected)."""
    particulars = current_particulars(entry)
    return {
        "reference": entry.entry_reference,
        "district": entry.district.name,
        "formed_on": entry.event_date,
        "place": particulars.get(keys.place_key(entry.event), ""),
        "parties": [
            " ".join(part for part in (party["forenames"], party["surname"]) if part)
            for party in (keys.party(particulars, 1), keys.party(particulars, 2))
        ],
    }


def conversion_offices(user: User):
    """The offices a registrar may record a declaration at: their own."""
    return user.offices.order_by("name") if user.is_authenticated else RegisterOffice.objects.none()


def conversion_for(*, user: User, reference: str) -> Conversion | None:
    """A conversion recorded at one of the user's offices; None otherwise (the page answers 404)."""
    return (
        Conversion.objects.select_related("partnership__district", "marriage__district", "declared_at", "registrar")
        .filter(reference=reference, declared_at__in=conversion_offices(user))
        .first()
    )
