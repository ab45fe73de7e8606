"""A registration from draft to declaration: start it, save its answers step by step, and submit
it (the informant's own declaration), after which it is registered, waits for the second parent,
or goes to a registrar."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.places import registration_district_for
from core.references import new_reference
from identity.models import User

from .. import answers as answers_module
from .. import rules, selectors
from ..models import Event, Registration
from ..refusals import RegistrationRefused
from ..register import UK
from ..stillbirth import matching as stillbirth_matching
from .deciding import decide, taken_in_person
from .second_parent import invite_second_parent


def start_registration(*, informant: User, event: str, **taken_by_staff: Any) -> Registration:
    """A new draft. `taken_by_staff` holds the columns a registration taken by staff starts with
    (made_by, assisted_session, informant_documents: `registrar.staff_registration.services`,
    which checks who may); a person online gives none."""
    if event not in (Event.BIRTH, Event.DEATH, Event.STILLBIRTH):
        raise RegistrationRefused("unknown_event")
    return Registration.objects.create(
        reference=new_reference("RG"), event=event, informant=informant, **taken_by_staff
    )


def refresh_derived(registration: Registration) -> None:
    """The columns other code filters on, recomputed from the answers."""
    if registration.event == Event.STILLBIRTH:
        stillbirth_matching.refresh(registration)
        return
    answers = registration.answers or {}
    registration.event_date = answers_module.event_date_of(registration.event, answers)
    registration.district = registration_district_for(answers_module.event_postcode(registration.event, answers))
    if registration.event == Event.BIRTH:
        registration.deadline = rules.birth_deadline(registration.event_date) if registration.event_date else None
        return
    certificate = selectors.medical_certificate_by_reference(
        answers_module.value(answers, "certificate", "reference", "")
    )
    registration.medical_certificate = certificate
    if certificate is not None:
        registration.deadline = rules.death_deadline(
            received_on=certificate.received_at.astimezone(UK).date(),
            extension_notified=certificate.extension_notified_at is not None,
        )
        if registration.district is None:
            registration.district = certificate.district
    else:
        registration.deadline = None


def check_step(*, registration: Registration, step: str) -> None:
    """Refuse a step that cannot be answered now: one the journey does not have (the declaration
    is made by sending, `submit_registration`), a registration already sent, or a question the
    earlier answers mean is not asked."""
    if step == "declaration" or answers_module.step_named(registration.event, step) is None:
        raise RegistrationRefused("unknown_step")
    if registration.status not in Registration.EDITABLE:
        raise RegistrationRefused("not_editable")
    if step not in [item.name for item in answers_module.steps_for(registration)]:
        raise RegistrationRefused("step_not_asked")


def save_answers(*, registration: Registration, step: str, values: dict[str, Any]) -> Registration:
    """Save one step's answers (already validated by its form). The row is locked so two tabs
    saving different steps both keep theirs. Changing any answer after the declaration asks
    for the declaration again: a person declares the answers as they finally stand."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        check_step(registration=registration, step=step)
        answers = dict(registration.answers or {})
        cleaned = {name: _json_value(item) for name, item in values.items()}
        if answers.get(step) != cleaned:
            answers.pop("declaration", None)
        answers[step] = cleaned
        registration.answers = answers
        refresh_derived(registration)
        registration.updated_at = timezone.now()
        registration.save()
    return registration


def _json_value(item: Any) -> Any:
    if isinstance(item, date):
        return item.isoformat()
    if hasattr(item, "isoformat"):  # time
        return item.isoformat(timespec="minutes")
    if isinstance(item, str):
        return item.strip()
    return item


def may_declare(*, registration: Registration, person: User) -> bool:
    """The declaration is the informant's own statement that the particulars are true: only the
    informant, signed in as themselves, makes it. Phone support in an assisted session may enter
    answers for them but never declares in their name."""
    return person.pk == registration.informant_id


def submit_registration(
    *,
    registration: Registration,
    declared_by: User,
    today: date | None = None,
    taken_by: User | None = None,
    method: str = Registration.DeclarationMethod.ONLINE,
) -> Registration:
    """Declare the answers and send them. `declared_by` is who is making the declaration (the
    staff member, in an assisted session): only the informant may. `taken_by` is the staff member
    who took the registration for the informant and `method` how the informant declared: online
    as themselves, with a one-time code sent to them (checked by the caller), or in person, read
    to and signed by them before `taken_by`. A registration a registrar took in person is
    registered by that registrar (not automatically) when every rule is met. A
    joint registration first waits for the other parent; otherwise it is registered at once when
    every rule is met, or goes to a registrar with its reason codes. Nothing is lost: a refused
    submission leaves the draft as it was."""
    today = today or rules.local_today()
    if method != Registration.DeclarationMethod.ONLINE and (taken_by is None or not taken_by.is_staff):
        raise RegistrationRefused("not_staff")
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("informant").get(pk=registration.pk)
        )
        if not may_declare(registration=registration, person=declared_by):
            raise RegistrationRefused("declaration_by_informant")
        if registration.status not in Registration.EDITABLE:
            raise RegistrationRefused("not_editable")
        registration.answers = {
            **(registration.answers or {}),
            "declaration": {"confirmed": True, "at": timezone.now().isoformat()},
        }
        missing = answers_module.missing_steps(registration, today)
        if missing:
            raise RegistrationRefused("incomplete", steps=missing)
        refresh_derived(registration)
        registration.submitted_at = registration.declared_at = timezone.now()
        registration.declaration_method = method
        in_person = method == Registration.DeclarationMethod.IN_PERSON
        registration.declaration_witnessed_by = taken_by if in_person else None
        # Taken in person: the registrar before whom it was declared (or who took it) registers it.
        registrar = (taken_by if in_person else registration.made_by) if taken_in_person(registration) else None
        registration.save()
        if (
            registration.event in (Event.BIRTH, Event.STILLBIRTH)
            and answers_module.second_parent_must_confirm(registration.answers)
            and not answers_module.second_parent_confirmed(registration.answers)
        ):
            invite_second_parent(registration)
            return registration
        asked_for_information = registration.status == Registration.Status.INFORMATION_REQUESTED
        return decide(
            registration,
            today=today,
            back_to_registrar=asked_for_information,
            registrar=registrar,
        )
