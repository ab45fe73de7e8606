"""Deciding a submitted registration: registered at once when every rule is met, or handed to a
registrar with its reasons (codes, shown to staff in words by registrar.presentation)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from identity.models import User

from .. import answers as answers_module
from .. import rules, selectors
from ..models import Event, Registration
from ..names import surname_key
from ..refusals import RegistrationRefused
from ..stillbirth import matching as stillbirth_matching
from .news import tell_informant
from .registering import register_registration


def _reasons(registration: Registration, *, today: date) -> list[str]:
    """Why a person must look, from the rules. Empty means it can be registered at once."""
    reasons = []
    if not selectors.identity_verified(registration.informant) and not _identity_seen_by_registrar(registration):
        reasons.append("identity_not_verified")
    if registration.district is None:
        reasons.append("district_unknown")
    if registration.event_date is not None:
        band = rules.lateness(
            event=registration.event, event_date=registration.event_date, deadline=registration.deadline, today=today
        )
        if band in rules.LATENESS_REASONS:
            reasons.append(rules.LATENESS_REASONS[band])
    if registration.event == Event.DEATH:
        reasons += _certificate_reasons(registration)
    if registration.event == Event.STILLBIRTH:
        reasons += stillbirth_matching.certificate_reasons(registration)
    if selectors.likely_duplicates(registration):
        reasons.append("possible_duplicate")
    return reasons


def _identity_seen_by_registrar(registration: Registration) -> bool:
    """A registrar who takes a registration in person establishes the informant's identity by
    seeing their documents (recorded on the registration) instead of the online check."""
    return bool(taken_in_person(registration) and registration.informant_documents.strip())


def taken_in_person(registration: Registration) -> bool:
    return bool(registration.made_by_id and not registration.assisted_session_id)


def _certificate_reasons(registration: Registration) -> list[str]:
    """The MCCD must match what the informant says: name, date of death, date of birth."""
    certificate = registration.medical_certificate
    if certificate is None:
        return ["mccd_not_found"]
    answers = registration.answers or {}
    reasons = []
    given = answers_module.value(answers, "deceased", "forenames", "")
    surname = answers_module.value(answers, "deceased", "surname", "")
    if surname_key(given) != surname_key(certificate.deceased_given_names) or surname_key(surname) != surname_key(
        certificate.deceased_surname
    ):
        reasons.append("mccd_name_mismatch")
    if registration.event_date != certificate.date_of_death:
        reasons.append("mccd_date_of_death_mismatch")
    born = answers_module.as_date(answers_module.value(answers, "deceased", "date_of_birth"))
    if certificate.deceased_date_of_birth and born != certificate.deceased_date_of_birth:
        reasons.append("mccd_date_of_birth_mismatch")
    if certificate.district_id and registration.district_id and certificate.district_id != registration.district_id:
        reasons.append("mccd_district_mismatch")
    if certificate.blocks_registration:
        reasons.append("coroner_referral")
    elif certificate.inquest_open:
        reasons.append("inquest_open")
    return reasons


def _hand_over_by(reasons: list[str]) -> str:
    """The transition that hands a registration to a person, by the reasons it needs one."""
    if "coroner_referral" in reasons:
        return "wait_for_coroner"
    if "late_needs_authority" in reasons:
        return "wait_for_authority"
    return "send_to_registrar"


def decide(
    registration: Registration, *, today: date, back_to_registrar: bool = False, registrar: User | None = None
) -> Registration:
    """Inside the caller's transaction, with the row locked and saved: register now or hand over.
    `registrar` is the registrar before whom the informant declared in person: they register it
    (the entry names them) rather than the service registering it automatically."""
    reasons = _reasons(registration, today=today)
    if not reasons and not back_to_registrar:
        registration.reasons = []
        registration.save(update_fields=["reasons"])
        register_registration(registration=registration, actor=registrar)
        registration.refresh_from_db()
        return registration
    if not registration.move(_hand_over_by(reasons), reasons=reasons):
        raise RegistrationRefused("not_open")
    tell_informant(
        registration,
        "sent",
        lambda: (
            _("Your registration %(reference)s has been sent to a registrar. We will contact you if we need anything.")
            % {"reference": registration.reference}
        ),
    )
    return registration
