"""The certificate for burial or cremation after a death, and the still-birth's certificates:
dates in words, signed with the service's key, made once and kept, and checked at /verify/ by
serial or by the file, without signing in."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import RegistrationDocument
from certificates.signing import check_signature
from core.dates import in_words
from registrar import register
from registrar.green_form import green_form_pdf
from registrar.presentation import format_particular
from registrar.stillbirth.documents import burial_or_cremation_pdf, certificate_of_registration_pdf
from tests.factories import (
    MedicalCertificateFactory,
    StaffFactory,
    UserFactory,
    death_answers,
    make_registration,
    submit_as_informant,
    verify_identity,
)
from tests.factories.marriage_downstream import pdf_text
from tests.factories.stillbirth import StillbirthCertificateFactory, stillbirth_answers

pytestmark = pytest.mark.django_db


def _in_wales(registration):
    """The entry's district made a Welsh one."""
    district = registration.entry.district
    district.region, district.welsh_name = "Wales", "Swyddfa Gofrestru Caerdydd"
    district.save(update_fields=["region", "welsh_name"])
    return registration


def _both(event: str, key: str, value) -> str:
    """A particular as a bilingual document prints it: the pages' words, Welsh then English."""
    with translation.override("cy"):
        welsh = format_particular(event, key, value)
    with translation.override("en"):
        english = format_particular(event, key, value)
    return english if welsh == english else f"{welsh} / {english}"


@pytest.fixture
def stillbirth(offices):
    mother = UserFactory(email="carys@example.org")
    verify_identity(mother)
    answers = stillbirth_answers(StillbirthCertificateFactory(district=offices[0]))
    answers.pop("declaration")
    return submit_as_informant(make_registration(event="stillbirth", informant=mother, answers=answers))


@pytest.fixture
def death(relative, offices):
    return submit_as_informant(
        make_registration(event="death", informant=relative, answers=death_answers(MedicalCertificateFactory()))
    )


def test_the_green_form_is_signed_by_the_service_and_gives_dates_in_words(death):
    pdf = green_form_pdf(death)
    assert check_signature(pdf).ok
    document = RegistrationDocument.objects.get(registration=death)
    assert document.kind == "burial_or_cremation" and check_signature(pdf).serial == document.serial
    text = pdf_text(pdf)
    born = death.entry.particulars["date_of_birth"]
    assert born not in text  # no ISO dates
    day = date.fromisoformat(born)
    assert f"{day.day} {day:%B %Y}" in text and document.serial in text
    registered = timezone.localdate(death.entry.registered_at)
    assert f"{registered.day} {registered:%B %Y}" in text


def test_the_green_form_is_made_once_and_kept(death):
    first = green_form_pdf(death)
    assert green_form_pdf(death) == first
    assert RegistrationDocument.objects.filter(registration=death).count() == 1


def test_a_crematorium_checks_the_green_form_by_serial_without_signing_in(client, death):
    green_form_pdf(death)
    document = RegistrationDocument.objects.get(registration=death)
    response = client.get(reverse("certificates:verify-serial", args=[document.serial.replace("-", " ").lower()]))
    html = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid" in html
    assert "Certificate for burial or cremation" in html and death.entry.entry_reference in html
    assert f"{death.entry.forenames} {death.entry.surname}" in html
    assert death.entry.particulars["usual_address"].split(",")[0] not in html  # not the whole entry


def test_a_crematorium_checks_the_green_form_file_and_a_changed_one_fails(client, death):
    pdf = green_form_pdf(death)
    response = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("g.pdf", pdf)})
    html = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid" in html and "Nothing has changed" in html
    changed = bytearray(pdf)
    changed[len(pdf) // 3] ^= 1
    response = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("g.pdf", bytes(changed))})
    html = response.content.decode()
    assert "This certificate is valid" not in html


def test_a_correction_after_issue_replaces_the_green_form(client, death):
    green_form_pdf(death)
    document = RegistrationDocument.objects.get(registration=death)
    register.record_correction(
        entry=death.entry, field="occupation", new_value="Joiner", reason="r", evidence="e", actor=StaffFactory()
    )
    html = client.get(reverse("certificates:verify-serial", args=[document.serial])).content.decode()
    assert "This certificate has been replaced" in html and "This certificate is valid" not in html


def test_the_still_birth_certificate_for_burial_or_cremation_is_signed_and_checkable(client, offices):
    mother = UserFactory(email="carys@example.org")
    verify_identity(mother)
    answers = stillbirth_answers(StillbirthCertificateFactory(district=offices[0]))
    answers.pop("declaration")
    registration = submit_as_informant(make_registration(event="stillbirth", informant=mother, answers=answers))
    pdf = burial_or_cremation_pdf(registration)
    assert check_signature(pdf).ok
    document = RegistrationDocument.objects.get(registration=registration)
    assert document.kind == "stillbirth_burial_or_cremation"
    html = client.get(reverse("certificates:verify-serial", args=[document.serial])).content.decode()
    assert "This certificate is valid" in html and "Date of birth" in html


def test_the_verification_api_answers_for_the_green_form_as_the_page_does(client, death):
    pdf = green_form_pdf(death)
    document = RegistrationDocument.objects.get(registration=death)
    body = client.get(f"/api/v1/certificates/verify/{document.serial}").json()
    assert body["status"] == "valid" and body["kind"] == "burial_or_cremation"
    assert body["entry"] == death.entry.entry_reference
    upload = client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("g.pdf", pdf)}, format="multipart")
    assert upload.json()["verdict"] == "valid" and upload.json()["certificate"]["serial"] == document.serial


def test_the_green_form_for_an_entry_in_wales_is_in_welsh_then_english(death):
    text = pdf_text(green_form_pdf(_in_wales(death)))
    welsh = text.index("Tystysgrif ar gyfer claddu neu amlosgi")
    assert welsh < text.index("Certificate for burial or cremation")
    assert text.index("Tystiaf fod marwolaeth y person a enwir uchod") < text.index("I certify that the death")
    particulars = death.entry.particulars
    for key in ("sex", "date_of_birth", "date_of_death"):
        assert _both("death", key, particulars[key]) in text, key
    assert "Tachwedd" in _both("death", "date_of_death", "2026-11-28")  # the helper does give Welsh
    assert "Swyddfa Gofrestru Caerdydd / " in text and "Cyfeirnod Dweud Wrthym Unwaith" in text
    assert "Rhif cyfresol / Serial number" in text and "RHYBUDD:" in text
    assert "Claddu / Burial" in text or "Amlosgi / Cremation" in text
    assert check_signature(green_form_pdf(death)).ok


def test_the_green_form_in_england_is_in_english_only_even_in_a_welsh_session(death):
    with translation.override("cy"):
        pdf = green_form_pdf(death)
    text = pdf_text(pdf)
    particulars = death.entry.particulars
    with translation.override("en"):
        for key in ("sex", "date_of_birth", "date_of_death"):
            assert format_particular("death", key, particulars[key]) in text, key
    for welsh in ("Tystysgrif", "Tystiaf", "Rhyw", "Dyddiad", "RHYBUDD", "Cofrestrwyd"):
        assert welsh not in text, welsh


def test_the_still_birth_certificates_for_an_entry_in_wales_are_in_welsh_then_english(stillbirth):
    _in_wales(stillbirth)
    particulars = stillbirth.entry.particulars
    registration = pdf_text(certificate_of_registration_pdf(stillbirth))
    burial = pdf_text(burial_or_cremation_pdf(stillbirth))
    assert registration.index("Tystysgrif cofrestru marw-enedigaeth") < registration.index(
        "Certificate of registration of still-birth"
    )
    assert "Nid yw cofnodion marw-enedigaethau yn y mynegai cyhoeddus" in registration
    assert burial.index("Tystysgrif ar gyfer claddu neu amlosgi") < burial.index("Certificate for burial or cremation")
    assert "Rhowch y dystysgrif hon i'r awdurdod claddu" in burial
    for text in (registration, burial):
        assert "Tystiaf fod y farw-enedigaeth a ddisgrifir uchod wedi'i chofrestru." in text
        assert _both("stillbirth", "sex", particulars["sex"]) in text
        assert _both("stillbirth", "date_of_delivery", particulars["date_of_delivery"]) in text
        assert particulars["date_of_delivery"] not in text  # no ISO dates
    registered = timezone.localdate(stillbirth.entry.registered_at)
    with translation.override("cy"):
        welsh_day = in_words(registered)
    assert f"{welsh_day} / {registered.day} {registered:%B %Y}" in registration


def test_the_still_birth_certificates_in_england_are_in_english_only(stillbirth):
    for pdf in (certificate_of_registration_pdf(stillbirth), burial_or_cremation_pdf(stillbirth)):
        assert check_signature(pdf).ok
        text = pdf_text(pdf)
        assert "I certify that the still-birth described above has been registered." in text
        for welsh in ("Tystysgrif", "Tystiaf", "Rhyw", "Dyddiad", "marw-enedigaeth"):
            assert welsh not in text, welsh
