"""Registering a death through the services: the MCCD matched by reference with name and date
checks, the deadline from the MCCD (+9 days on written notice), the coroner's block and release,
informants in legal order, deduplication, and after registration the green form and the Tell
Us Once reference."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from identity.models import IdentityCase, OutboundMessage
from registrar import answers, services
from registrar.green_form import green_form_pdf
from registrar.models import IndexName, Registration
from registrar.selectors import death_registered_for_identity, likely_duplicates
from tests.factories import (
    MedicalCertificateFactory,
    StaffFactory,
    UserFactory,
    death_answers,
    make_registration,
    submit_as_informant,
    verify_identity,
)

pytestmark = pytest.mark.django_db

DEATH_PARTICULARS = {
    "deceased_forenames",
    "deceased_surname",
    "deceased_maiden_surname",
    "sex",
    "date_of_birth",
    "place_of_birth",
    "date_of_death",
    "place_of_death",
    "age",
    "occupation",
    "usual_address",
    "cause_of_death",
    "certified_by",
    "informant_name",
    "informant_qualification",
    "informant_address",
}


@pytest.fixture
def certificate(offices):
    return MedicalCertificateFactory()


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the pages: reportlab's content streams (ASCII85, then Flate), decoded."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>"))).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return " ".join(re.findall(r"\((.*?)\) Tj", " ".join(chunks)))


def _death(relative, certificate, **sections):
    return make_registration(event="death", informant=relative, answers=death_answers(certificate, **sections))


def test_a_matched_death_is_registered_with_green_form_and_tell_us_once(
    relative, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit_as_informant(_death(relative, certificate))
    assert registration.status == Registration.Status.REGISTERED
    entry = registration.entry
    assert set(entry.particulars) == DEATH_PARTICULARS
    assert entry.particulars["cause_of_death"] == "1a Bronchopneumonia"
    assert entry.particulars["certified_by"].startswith("Dr Priya Shah")
    assert entry.particulars["informant_qualification"] == "Relative, present at the death"
    age = entry.particulars["age"]
    assert IndexName.objects.get(entry=entry).age == age
    after = registration.answers["_after_death"]
    assert after["tell_us_once"].startswith("TU-")
    assert after["tell_us_once_expires"] == (timezone.localdate() + timedelta(days=28)).isoformat()
    informant_message = OutboundMessage.objects.get(key=f"registration:{registration.reference}:registered")
    assert after["tell_us_once"] in informant_message.body
    arranger = OutboundMessage.objects.get(key=f"registration:{registration.reference}:green-form")
    assert arranger.to == "susan@example.com" and "/register/green-form/" in arranger.body


def test_the_green_form_pdf_names_the_deceased_and_the_entry(relative, certificate):
    registration = submit_as_informant(_death(relative, certificate))
    pdf = green_form_pdf(registration)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Arthur James Pendleton" in text
    assert registration.entry.entry_reference in text
    assert registration.answers["_after_death"]["tell_us_once"] in text


def test_the_death_deadline_is_5_days_from_the_mccd(relative, offices):
    certificate = MedicalCertificateFactory()
    registration = _death(relative, certificate)
    assert registration.deadline == timezone.localdate() + timedelta(days=5)
    assert registration.medical_certificate == certificate


def test_written_notice_of_the_mccd_extends_the_deadline_by_9_days(relative, offices):
    certificate = MedicalCertificateFactory(extension_notified_at=timezone.now())
    registration = _death(relative, certificate)
    assert registration.deadline == timezone.localdate() + timedelta(days=14)


def test_day_6_after_the_mccd_needs_a_reason_then_registers(relative, offices):
    certificate = MedicalCertificateFactory(received_at=timezone.now() - timedelta(days=6))
    registration = _death(relative, certificate)
    assert answers.missing_steps(registration) == ["late_reason"]
    registration = services.save_answers(
        registration=registration, step="late_reason", values={"reason": "The family was abroad"}
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.REGISTERED


def test_day_5_after_the_mccd_is_in_time(relative, offices):
    certificate = MedicalCertificateFactory(received_at=timezone.now() - timedelta(days=5))
    assert answers.missing_steps(_death(relative, certificate)) == []


@pytest.mark.parametrize(
    ("sections", "reason"),
    [
        ({"deceased": {"surname": "Pendelton"}}, "mccd_name_mismatch"),
        ({"deceased": {"forenames": "Arthur"}}, "mccd_name_mismatch"),
        ({"deceased": {"date_of_birth": "1941-03-10"}}, "mccd_date_of_birth_mismatch"),
        (
            {"death": {"date_of_death": (timezone.localdate() - timedelta(days=3)).isoformat()}},
            "mccd_date_of_death_mismatch",
        ),
    ],
)
def test_a_mismatch_with_the_mccd_goes_to_a_registrar(relative, certificate, sections, reason):
    registration = submit_as_informant(_death(relative, certificate, **sections))
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert reason in registration.reasons
    assert not hasattr(registration, "entry") or registration.status != Registration.Status.REGISTERED


def test_names_match_the_mccd_whatever_the_case_and_accents(relative, certificate):
    registration = _death(relative, certificate, deceased={"forenames": "ARTHUR  james", "surname": "Pendletón"})
    assert submit_as_informant(registration).status == Registration.Status.REGISTERED


def test_a_death_in_another_district_than_the_mccd_goes_to_a_registrar(relative, offices):
    certificate = MedicalCertificateFactory(district=offices[1])
    registration = submit_as_informant(_death(relative, certificate))
    assert "mccd_district_mismatch" in registration.reasons


def test_a_coroner_referral_blocks_registration_until_released(relative, offices, django_capture_on_commit_callbacks):
    certificate = MedicalCertificateFactory(referred_to_coroner=True)
    registration = submit_as_informant(_death(relative, certificate))
    assert registration.status == Registration.Status.BLOCKED_BY_CORONER
    assert registration.reasons == ["coroner_referral"]
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=StaffFactory(roles=["Registrar"]))
    assert refused.value.reason == "coroner_block"
    with django_capture_on_commit_callbacks(execute=True):
        services.release_from_coroner(certificate=certificate, actor=StaffFactory())
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.entry.registered_automatically


def test_released_with_an_open_inquest_goes_to_a_registrar(relative, offices):
    certificate = MedicalCertificateFactory(referred_to_coroner=True)
    registration = submit_as_informant(_death(relative, certificate))
    services.release_from_coroner(certificate=certificate, actor=StaffFactory(), inquest_open=True)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert registration.reasons == ["inquest_open"]


def test_releasing_twice_is_refused(relative, offices):
    certificate = MedicalCertificateFactory(referred_to_coroner=True)
    services.release_from_coroner(certificate=certificate, actor=StaffFactory())
    with pytest.raises(services.RegistrationRefused):
        services.release_from_coroner(certificate=certificate, actor=StaffFactory())


@pytest.mark.parametrize(
    ("qualification", "higher_unavailable", "in_register"),
    [
        ("relative_present", False, "Relative, present at the death"),
        ("relative_in_district", True, "Relative"),
        ("present_at_death", True, "Present at the death"),
        ("occupier", True, "Occupier"),
        ("arranging_funeral", True, "Causing the disposal"),
    ],
)
def test_each_qualified_death_informant_in_legal_order(
    relative, certificate, qualification, higher_unavailable, in_register
):
    registration = _death(
        relative, certificate, informant={"qualification": qualification, "higher_unavailable": higher_unavailable}
    )
    registration = submit_as_informant(registration)
    assert registration.entry.particulars["informant_qualification"] == in_register
    assert registration.entry.particulars["informant_name"] == "Susan Pendleton"


def test_the_same_deceased_registered_again_is_a_likely_duplicate(relative, certificate, offices):
    first = submit_as_informant(_death(relative, certificate))
    other_certificate = MedicalCertificateFactory()
    second = _death(UserFactory(), other_certificate)
    verify_identity(second.informant)
    assert likely_duplicates(second) == [first.entry.entry_reference]
    second = submit_as_informant(second)
    assert second.status == Registration.Status.WITH_REGISTRAR
    assert "possible_duplicate" in second.reasons


def test_someone_else_with_the_same_name_but_another_birth_date_is_not_a_duplicate(relative, certificate, offices):
    submit_as_informant(_death(relative, certificate))
    other = MedicalCertificateFactory(deceased_date_of_birth=certificate.deceased_date_of_birth - timedelta(days=1))
    assert likely_duplicates(_death(relative, other)) == []


def test_a_death_without_its_mccd_is_not_registered_even_by_a_registrar(relative, offices):
    registration = make_registration(
        event="death",
        informant=relative,
        answers=death_answers(MedicalCertificateFactory.build(reference="NOT-SENT")),
        status=Registration.Status.WITH_REGISTRAR,
    )
    assert registration.medical_certificate is None
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register_registration(registration=registration, actor=StaffFactory(roles=["Registrar"]))
    assert refused.value.reason == "no_medical_certificate"


def test_a_draft_waiting_for_its_mccd_gets_its_deadline_when_it_arrives(relative, offices):
    pending = MedicalCertificateFactory.build(reference="MCCD-LATER")
    registration = make_registration(event="death", informant=relative, answers=death_answers(pending))
    assert registration.deadline is None
    services.record_medical_certificate(
        submitted_by=StaffFactory(),
        details={
            "reference": "mccd-later",
            "deceased_given_names": pending.deceased_given_names,
            "deceased_surname": pending.deceased_surname,
            "deceased_date_of_birth": pending.deceased_date_of_birth,
            "date_of_death": pending.date_of_death,
            "place_of_death": pending.place_of_death,
            "place_of_death_postcode": "LS9 7TF",
            "cause_of_death": "1a Stroke",
            "certifying_practitioner": "Dr A",
            "medical_examiner": "Dr B",
        },
    )
    registration.refresh_from_db()
    assert registration.medical_certificate.reference == "MCCD-LATER"
    assert registration.deadline == timezone.localdate() + timedelta(days=5)
    assert registration.medical_certificate.district.code == "E-LEEDS"


def test_written_notice_after_the_draft_moves_its_deadline_by_9_days(relative, offices):
    certificate = MedicalCertificateFactory()
    registration = _death(relative, certificate)
    assert registration.deadline == timezone.localdate() + timedelta(days=5)
    services.record_written_notice(certificate=certificate, actor=StaffFactory(roles=["Registrar"]))
    registration.refresh_from_db()
    assert registration.deadline == timezone.localdate() + timedelta(days=14)
    certificate.refresh_from_db()
    first = certificate.extension_notified_at
    services.record_written_notice(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.extension_notified_at == first


def test_proving_the_identity_of_someone_whose_death_is_registered_is_a_fraud_signal(relative, certificate):
    submit_as_informant(_death(relative, certificate))
    case = IdentityCase(given_names="arthur james", surname="PENDLETON", birth_date=certificate.deceased_date_of_birth)
    assert death_registered_for_identity(case) == ["fraud_death_registered"]
    case.birth_date = certificate.deceased_date_of_birth - timedelta(days=1)
    assert death_registered_for_identity(case) == []
    assert "registrar.selectors.death_registered_for_identity" in settings.IDENTITY_FRAUD_SIGNAL_PROVIDERS
