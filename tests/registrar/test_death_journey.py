"""The death journey's pages: informant in legal order, the deceased, the death, the MCCD
reference, the funeral, check answers and declaration; the green form for the informant and
the funeral arranger; bad input gets a clear error and loses nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from identity.models import OutboundMessage
from registrar.models import Registration
from tests.factories import (
    MedicalCertificateFactory,
    date_fields,
    death_answers,
    make_leeds_offices,
    make_registration,
    post_step,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    make_leeds_offices()
    return MedicalCertificateFactory(reference="MCCD-777001")


@pytest.fixture
def relative(client, relative):
    """The relative, signed in."""
    client.force_login(relative)
    return relative


def test_the_whole_death_journey_registers_and_issues_the_green_form(
    client, certificate, relative, django_capture_on_commit_callbacks
):
    client.post("/register/start/death/")
    registration = Registration.objects.get()
    assert registration.event == "death"
    post_step(client, registration, "informant", {"qualification": "relative_present", "relationship": "Daughter"})
    post_step(
        client,
        registration,
        "deceased",
        {
            "forenames": "Arthur James",
            "surname": "Pendleton",
            "sex": "male",
            "address": "4 Oak Road, Leeds",
            "postcode": "LS6 1AA",
            **date_fields("date_of_birth", certificate.deceased_date_of_birth),
        },
    )
    post_step(
        client,
        registration,
        "death",
        {
            "place_of_death": "St James's Hospital",
            "postcode": "LS9 7TF",
            **date_fields("date_of_death", certificate.date_of_death),
        },
    )
    assert post_step(client, registration, "certificate", {"reference": " mccd-777001 "})["Location"].endswith(
        "/informant_details/"
    )
    registration.refresh_from_db()
    assert registration.medical_certificate == certificate
    assert registration.deadline == timezone.localdate() + timedelta(days=5)
    post_step(
        client,
        registration,
        "informant_details",
        {"full_name": "Susan Pendleton", "address": "4 Oak Road", "postcode": "LS6 1AA"},
    )
    assert post_step(
        client,
        registration,
        "funeral",
        {"arranger_name": "Susan Pendleton", "arranger_email": "funerals@example.com", "disposal": "cremation"},
    )["Location"].endswith("/check/")
    text = client.get(f"/register/{registration.reference}/check/").content.decode()
    assert "MCCD-777001" in text and "Cremation" in text
    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, registration, "declaration", {"confirmed": "on"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    tuo = registration.answers["_after_death"]["tell_us_once"]
    status = client.get(f"/register/{registration.reference}/").content.decode()
    assert tuo in status and "Download the certificate for burial or cremation" in status
    pdf = client.get(f"/register/{registration.reference}/green-form.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The funeral arranger's link works without signing in.
    message = OutboundMessage.objects.get(to="funerals@example.com")
    link = re.search(r"https?://[^/]+(/register/green-form/\S+/)", message.body).group(1)
    client.logout()
    public = client.get(link)
    assert public.status_code == 200 and public.content.startswith(b"%PDF")


def test_a_forged_green_form_link_is_404(client, certificate):
    assert client.get("/register/green-form/not-a-token/").status_code == 404


def test_the_green_form_is_only_for_registered_deaths(client, certificate, relative):
    registration = make_registration(event="death", informant=relative, answers=death_answers(certificate))
    assert client.get(f"/register/{registration.reference}/green-form.pdf").status_code == 404


def test_an_unknown_mccd_reference_is_a_clear_error_and_keeps_the_draft(client, certificate, relative):
    registration = make_registration(
        event="death", informant=relative, answers=death_answers(certificate, certificate=None, declaration=None)
    )
    before = dict(registration.answers)
    response = client.post(f"/register/{registration.reference}/certificate/", {"reference": "MCCD-000000"})
    assert response.status_code == 400
    assert "We have not received a medical certificate with this reference" in response.content.decode()
    registration.refresh_from_db()
    assert registration.answers == before


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("informant", {"qualification": "occupier"}, "Someone earlier in the list can register the death"),
        ("informant", {"qualification": "relative_present"}, "Enter your relationship to the person who died"),
        (
            "informant",
            {"qualification": "arranging_funeral", "higher_unavailable": "on", "funeral_director": "on"},
            "A funeral director cannot register a death",
        ),
        ("deceased", {"forenames": "A", "surname": "B", "sex": "male", "address": "x"}, "Enter their date of birth"),
        (
            "death",
            {
                "place_of_death": "Leeds",
                "postcode": "LS9 7TF",
                **date_fields("date_of_death", timezone.localdate() + timedelta(days=3)),
            },
            "today or in the past",
        ),
        (
            "death",
            {
                "place_of_death": "Leeds",
                "postcode": "LS9 7TF",
                "date_of_death_0": "1",
                "date_of_death_1": "1",
                "date_of_death_2": "1900",
            },
            "the same as or after the date of birth",
        ),
        (
            "death",
            {"place_of_death": "Leeds", "postcode": "", **date_fields("date_of_death", timezone.localdate())},
            "Enter the postcode",
        ),
        ("funeral", {"arranger_name": "S", "arranger_email": "not-an-email", "disposal": "burial"}, "correct format"),
        (
            "funeral",
            {"arranger_name": "S", "arranger_email": "s@example.com", "disposal": "sea"},
            "Select burial or cremation",
        ),
        ("informant_details", {"full_name": "", "address": "", "postcode": ""}, "Enter your full name"),
    ],
)
def test_bad_input_on_each_death_page_is_a_clear_error(client, certificate, relative, step, data, message):
    registration = make_registration(
        event="death", informant=relative, answers=death_answers(certificate, declaration=None)
    )
    before = dict(registration.answers)
    response = client.post(f"/register/{registration.reference}/{step}/", data)
    assert response.status_code == 400
    text = response.content.decode().replace("&#x27;", "'")
    assert "govuk-error-summary" in text and message in text
    registration.refresh_from_db()
    assert registration.answers == before


def test_a_lower_informant_who_says_nobody_higher_can_register_may_continue(client, certificate, relative):
    registration = make_registration(
        event="death", informant=relative, answers=death_answers(certificate, declaration=None)
    )
    post_step(client, registration, "informant", {"qualification": "occupier", "higher_unavailable": "on"})
    registration.refresh_from_db()
    assert registration.answers["informant"]["qualification"] == "occupier"


def test_a_coroner_referral_shows_the_family_what_happens_next(client, relative):
    make_leeds_offices()
    certificate = MedicalCertificateFactory(referred_to_coroner=True)
    registration = make_registration(
        event="death", informant=relative, answers=death_answers(certificate, declaration=None)
    )
    post_step(client, registration, "declaration", {"confirmed": "on"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.BLOCKED_BY_CORONER
    page = client.get(f"/register/{registration.reference}/").content.decode()
    assert "referred to the coroner" in page
