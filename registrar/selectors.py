"""Reads for birth and death registrations: whether a person's identity is verified, likely
duplicates of a registration, and a person's own registrations."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet

from identity.models import User
from identity.selectors import has_medium_confidence

from . import answers as answers_module
from .models import Event, MedicalCertificate, RegisterEntry, Registration
from .names import surname_key


def identity_verified(person: User) -> bool:
    """Medium confidence, as identity decides it."""
    return has_medium_confidence(person)


def _person_key(forenames: str, surname: str) -> tuple[str, str]:
    return surname_key(forenames or ""), surname_key(surname or "")


def _birth_duplicates(registration: Registration) -> list[str]:
    answers = registration.answers or {}
    born = answers_module.as_date(answers_module.value(answers, "child", "date_of_birth"))
    if born is None:
        return []
    window = timedelta(days=settings.DUPLICATE_BIRTH_WINDOW_DAYS)
    mother = _person_key(
        answers_module.value(answers, "mother", "forenames", ""), answers_module.value(answers, "mother", "surname", "")
    )
    child_forenames = surname_key(answers_module.value(answers, "child", "forenames", "") or "")
    multiple = bool(answers_module.value(answers, "child", "multiple_birth"))

    def same_birth(other_mother, other_child_forenames, other_multiple) -> bool:
        if other_mother != mother:
            return False
        # Twins and triplets: a multiple birth of the same mother is another child when the
        # names differ; the same names are still a duplicate.
        return not (multiple and other_multiple and other_child_forenames != child_forenames)

    # Only the names are read, not whole rows: the window holds every birth in England and Wales
    # within days of this one, and each registration's answers are large. Rows are loaded only
    # for the few that match.
    span = (born - window, born + window)
    entries = RegisterEntry.objects.filter(event=Event.BIRTH, event_date__range=span)
    matched = [
        pk
        for pk, forenames, surname, child, other_multiple in entries.values_list(
            "pk",
            "particulars__mother_forenames",
            "particulars__mother_surname",
            "particulars__child_forenames",
            "particulars__multiple_birth",
        )
        if same_birth(_person_key(forenames, surname), surname_key(child or ""), bool(other_multiple))
    ]
    found = (
        [entry.entry_reference for entry in entries.filter(pk__in=matched).select_related("district")]
        if matched
        else []
    )
    others = (
        Registration.objects.filter(event=Event.BIRTH, event_date__range=span)
        .exclude(pk=registration.pk)
        .exclude(status__in=Registration.NOT_CLAIMS)
    )
    for reference, mother_answers, child_answers in others.values_list(
        "reference", "answers__mother", "answers__child"
    ):
        mother_answers = mother_answers if isinstance(mother_answers, dict) else {}
        child_answers = child_answers if isinstance(child_answers, dict) else {}
        if same_birth(
            _person_key(mother_answers.get("forenames", ""), mother_answers.get("surname", "")),
            surname_key(child_answers.get("forenames", "") or ""),
            bool(child_answers.get("multiple_birth")),
        ):
            found.append(reference)
    return found


def _death_duplicates(registration: Registration) -> list[str]:
    answers = registration.answers or {}
    born = answers_module.value(answers, "deceased", "date_of_birth", "")
    if not born:
        return []
    person = _person_key(
        answers_module.value(answers, "deceased", "forenames", ""),
        answers_module.value(answers, "deceased", "surname", ""),
    )
    found = []
    for entry in RegisterEntry.objects.filter(event=Event.DEATH, particulars__date_of_birth=born).select_related(
        "district"
    ):
        p = entry.particulars
        if _person_key(p.get("deceased_forenames", ""), p.get("deceased_surname", "")) == person:
            found.append(entry.entry_reference)
    others = (
        Registration.objects.filter(event=Event.DEATH, answers__deceased__date_of_birth=born)
        .exclude(pk=registration.pk)
        .exclude(status__in=Registration.NOT_CLAIMS)
    )
    for other in others:
        a = other.answers or {}
        if (
            _person_key(
                answers_module.value(a, "deceased", "forenames", ""), answers_module.value(a, "deceased", "surname", "")
            )
            == person
        ):
            found.append(other.reference)
    return found


def likely_duplicates(registration: Registration) -> list[str]:
    """References of register entries and other sent registrations that look like the same
    event: births of the same mother within DUPLICATE_BIRTH_WINDOW_DAYS of the child's date of
    birth; deaths of a person with the same name and date of birth (see Registration.NOT_CLAIMS)."""
    if registration.event == Event.BIRTH:
        return _birth_duplicates(registration)
    if registration.event == Event.STILLBIRTH:
        return stillbirth_duplicates(registration)
    return _death_duplicates(registration)


def stillbirth_duplicates(registration: Registration) -> list[str]:
    """Another sent registration, or an entry, from the same medical certificate of stillbirth."""
    if registration.stillbirth_certificate_id is None:
        return []
    entries = RegisterEntry.objects.filter(
        registration__stillbirth_certificate_id=registration.stillbirth_certificate_id
    ).exclude(registration=registration)
    others = (
        Registration.objects.filter(stillbirth_certificate_id=registration.stillbirth_certificate_id)
        .exclude(pk=registration.pk)
        .exclude(status__in=Registration.NOT_CLAIMS)
    )
    return [entry.entry_reference for entry in entries.select_related("district")] + list(
        others.values_list("reference", flat=True)
    )


def registrations_of(person: User) -> QuerySet[Registration]:
    return Registration.objects.filter(informant=person).select_related("district").order_by("-created_at")


def medical_certificate_by_reference(reference: str) -> MedicalCertificate | None:
    cleaned = (reference or "").strip().upper()
    if not cleaned:
        return None
    return MedicalCertificate.objects.filter(reference__iexact=cleaned).first()


def person_for_reference(reference: str) -> tuple[User, str] | None:
    """For phone support: whose registration this reference is, and where it is."""
    registration = Registration.objects.select_related("informant").filter(reference__iexact=reference).first()
    if registration is None:
        return None
    return registration.informant, f"{registration.get_event_display()}: {registration.get_status_display()}"


def death_registered_for_identity(case) -> list[str]:
    """Identity fraud signal (settings.IDENTITY_FRAUD_SIGNAL_PROVIDERS): someone proving an
    identity whose death is in the register — same names and date of birth. The case goes to a
    registrar; it is never rejected on this alone."""
    if not case.birth_date or not case.surname:
        return []
    person = _person_key(case.given_names, case.surname)
    entries = RegisterEntry.objects.filter(event=Event.DEATH, particulars__date_of_birth=case.birth_date.isoformat())
    for forenames, surname in entries.values_list("particulars__deceased_forenames", "particulars__deceased_surname"):
        if _person_key(forenames or "", surname or "") == person:
            return ["fraud_death_registered"]
    return []
