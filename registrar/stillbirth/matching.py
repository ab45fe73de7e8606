"""Matching a parent's stillbirth registration to the medical certificate of stillbirth the
doctor or midwife sent, as a death is matched to its MCCD: the reference the parent gives finds
the certificate, and what the parent says must agree with it or a registrar looks."""

from __future__ import annotations

from core.places import registration_district_for

from .. import answers as answers_module
from ..models import Registration, StillbirthCertificate
from ..names import surname_key
from . import rules


def certificate_by_reference(reference: str) -> StillbirthCertificate | None:
    cleaned = (reference or "").strip().upper()
    if not cleaned:
        return None
    return StillbirthCertificate.objects.filter(reference__iexact=cleaned).first()


def refresh(registration: Registration) -> None:
    """The columns other code filters on, from the answers: the date of delivery, the district
    of the place of birth (the certificate's when the place gives none), the deadline, and the
    certificate the reference names."""
    answers = registration.answers or {}
    registration.event_date = answers_module.event_date_of(registration.event, answers)
    registration.district = registration_district_for(answers_module.event_postcode(registration.event, answers))
    registration.deadline = rules.stillbirth_deadline(registration.event_date) if registration.event_date else None
    certificate = certificate_by_reference(answers_module.value(answers, "certificate", "reference", ""))
    registration.stillbirth_certificate = certificate
    if certificate is not None and registration.district is None:
        registration.district = certificate.district


def certificate_reasons(registration: Registration) -> list[str]:
    """Why a registrar must look: no certificate with this reference, or the mother's name, the
    date of delivery, the baby's sex or the district differ from it."""
    certificate = registration.stillbirth_certificate
    if certificate is None:
        return ["stillbirth_certificate_not_found"]
    answers = registration.answers or {}
    reasons = []
    forenames = answers_module.value(answers, "mother", "forenames", "")
    surname = answers_module.value(answers, "mother", "surname", "")
    if surname_key(forenames) != surname_key(certificate.mother_given_names) or surname_key(surname) != surname_key(
        certificate.mother_surname
    ):
        reasons.append("stillbirth_mother_mismatch")
    if registration.event_date != certificate.delivered_on:
        reasons.append("stillbirth_date_mismatch")
    if answers_module.value(answers, "baby", "sex", "") != certificate.sex:
        reasons.append("stillbirth_sex_mismatch")
    if certificate.district_id and registration.district_id and certificate.district_id != registration.district_id:
        reasons.append("stillbirth_district_mismatch")
    return reasons
