"""Reads for re-registration: which birth entries a person may re-register (those they are
named on as a parent), their own re-registrations, the marriage of both parents in the
register, and what the staff entry page shows."""

from __future__ import annotations

import unicodedata

from django.db.models import Q, QuerySet

from identity.models import User
from identity.selectors import has_medium_confidence

from .. import rules
from ..models import EntryReRegistration, Event, IndexName, RegisterEntry, ReRegistration
from ..names import surname_key
from ..register import current_particulars


def identity_verified(person: User) -> bool:
    return has_medium_confidence(person)


def plain(text: str) -> str:
    """A name as compared: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char)).upper()
    return " ".join("".join(char if char.isalnum() else " " for char in letters).split())


def entries_named_on(person: User) -> QuerySet[RegisterEntry]:
    """Birth entries that name the person as a parent: the parent who registered it, the other
    parent who confirmed a joint registration, or a parent of an earlier re-registration."""
    return (
        RegisterEntry.objects.filter(event=Event.BIRTH)
        .filter(
            Q(registration__informant=person, registration__answers__informant__qualification__in=rules.PARENTS)
            | Q(registration__answers___second_parent__confirmed_by=person.pk)
            | Q(reregistration_journey__first_parent=person)
            | Q(reregistration_journey__other_parent=person)
        )
        .select_related("district")
        .distinct()
    )


def may_start(person: User, entry: RegisterEntry) -> bool:
    return entries_named_on(person).filter(pk=entry.pk).exists()


def startable_entries(person: User) -> list[RegisterEntry]:
    """The person's birth entries not yet re-registered, for the start page."""
    return list(entries_named_on(person).filter(reregistered__isnull=True).order_by("-registered_at"))


def reregistrations_of(person: User) -> QuerySet[ReRegistration]:
    return (
        ReRegistration.objects.filter(Q(first_parent=person) | Q(other_parent=person), registrar__isnull=True)
        .select_related("original__district", "new_entry__district")
        .order_by("-created_at")
    )


def own_reregistration(person: User, reference: str) -> ReRegistration | None:
    """The person's own re-registration (the parent who started it); None otherwise."""
    return (
        ReRegistration.objects.select_related("original__district", "new_entry__district", "marriage_entry")
        .filter(reference=reference, first_parent=person, registrar__isnull=True)
        .first()
    )


def entry_by_reference(reference: str) -> RegisterEntry | None:
    """A birth entry from its reference (DISTRICT/B/2026/000123)."""
    parts = (reference or "").strip().upper().split("/")
    if len(parts) != 4 or parts[1] != "B" or not parts[2].isdigit() or not parts[3].isdigit():
        return None
    return (
        RegisterEntry.objects.select_related("district")
        .filter(district__code=parts[0], event=Event.BIRTH, year=int(parts[2]), number=int(parts[3]))
        .first()
    )


def matching_marriages(particulars: dict, *, born) -> list[RegisterEntry]:
    """Marriage and civil partnership entries of both parents after the birth: one party the
    mother (forenames, and her surname or maiden surname), the other the father or second
    parent (forenames and surname), compared without case, accents or punctuation."""
    mother_forenames = plain(particulars.get("mother_forenames"))
    mother_surnames = {plain(particulars.get("mother_surname")), plain(particulars.get("mother_maiden_surname"))} - {""}
    father = (plain(particulars.get("father_forenames")), plain(particulars.get("father_surname")))
    if not mother_forenames or not mother_surnames or not all(father):
        return []
    keys = {surname_key(name) for name in mother_surnames}
    candidates = (
        RegisterEntry.objects.filter(
            event__in=(Event.MARRIAGE, Event.CIVIL_PARTNERSHIP),
            event_date__gte=born,
            pk__in=IndexName.objects.filter(surname_key__in=keys, replaces__isnull=True).values("entry_id"),
        )
        .select_related("district")
        .order_by("event_date")[:50]
    )
    found = []
    for entry in candidates:
        now = current_particulars(entry)
        parties = [(plain(now.get(f"party{n}_forenames")), plain(now.get(f"party{n}_surname"))) for n in (1, 2)]
        for one, two in (parties, parties[::-1]):
            if one[0] == mother_forenames and one[1] in mother_surnames and two == father:
                found.append(entry)
                break
    return found


def entry_panel(entry: RegisterEntry) -> dict:
    """What the staff entry page shows of re-registration and the index: the mark beside a
    re-registered entry, the entry it replaced, and every index line (first and corrected)."""
    mark = EntryReRegistration.objects.select_related("new_entry__district", "by").filter(original=entry).first()
    replaced = EntryReRegistration.objects.select_related("original__district", "by").filter(new_entry=entry).first()
    journeys = ReRegistration.objects.filter(original=entry).order_by("-created_at")
    lines = list(IndexName.objects.filter(entry=entry).select_related("correction").order_by("pk"))
    return {
        "entry": entry,
        "mark": mark,
        "replaced": replaced,
        "journeys": journeys,
        "lines": lines,
        "indexed": bool(lines),
    }
