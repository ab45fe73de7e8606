"""Reads of the stillbirth part: who may have copies of a still-birth entry (its parents and
the register office's staff; REGISTRATION-RULES.md "Stillbirths"), and the entries a parent may
order copies of."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from identity.models import User
from identity.roles import is_national

from .. import rules
from ..models import Event, RegisterEntry


def parents_of(entry: RegisterEntry) -> set[int]:
    """Ids of the accounts of the parents named in a still-birth entry: the informant when they
    registered as a parent, and the other parent who confirmed a joint registration."""
    registration = entry.registration
    if registration is None:
        return set()
    answers = registration.answers or {}
    parents = set()
    if (answers.get("informant") or {}).get("qualification") in rules.PARENTS:
        parents.add(registration.informant_id)
    confirmed_by = (answers.get("_second_parent") or {}).get("confirmed_by")
    if confirmed_by:
        parents.add(int(confirmed_by))
    return parents


def works_in_office_of(person: User, entry: RegisterEntry) -> bool:
    """Registrar staff of the entry's register office (the national roles: any office)."""
    if not (person.is_staff and person.has_perm("registrar.work_registrations")):
        return False
    return is_national(person) or person.offices.filter(pk=entry.district_id).exists()


def may_have_copy(*, person: User, entry: RegisterEntry) -> bool:
    """Whether `person` may order (and so receive) a certified copy of `entry`. Entries of other
    registers are for anyone."""
    if entry.event != Event.STILLBIRTH:
        return True
    return person.pk in parents_of(entry) or works_in_office_of(person, entry)


def entries_for_parent(person: User) -> QuerySet[RegisterEntry]:
    """The still-birth entries `person` is a parent in, newest first."""
    candidates = (
        RegisterEntry.objects.filter(event=Event.STILLBIRTH, registration__isnull=False)
        .filter(Q(registration__informant=person) | Q(registration__answers___second_parent__confirmed_by=person.pk))
        .select_related("district", "registration")
        .order_by("-registered_at")
    )
    return candidates.filter(pk__in=[entry.pk for entry in candidates if person.pk in parents_of(entry)])
