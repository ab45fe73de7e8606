"""The stillbirth journey's pages: the birth's one-question-per-page journey with the
stillbirth's own questions (the certificate, your baby, the choice of a name); bad input on every
page is a clear 400 that loses nothing; the same forms through the API; the two PDFs; words
written for bereaved parents."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from identity.services import issue_api_token
from registrar.models import RegisterEntry, Registration
from tests.factories import date_fields, make_registration, post_step
from tests.factories.stillbirth import stillbirth_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, mother):
    client.force_login(mother)
    return mother


def _pages(certificate) -> dict[str, dict]:
    return {
        "informant": {"qualification": "mother"},
        "certificate": {"reference": certificate.reference.lower()},
        "baby": {
            "sex": "female",
            "time_of_delivery": "4.35",
            **date_fields("date_of_delivery", certificate.delivered_on),
        },
        "name": {"give_name": "yes", "forenames": "Grace", "surname": "Hartley"},
        "place": {
            "place_type": "hospital",
            "place_name": "Leeds General Infirmary",
            "address": "Great George Street",
            "postcode": "ls1 3ex",
        },
        "mother": {
            "forenames": "Emma Louise",
            "surname": "Hartley",
            "maiden_surname": "Clarke",
            "place_of_birth": "York",
            "address": "12 Park Lane, Leeds",
            "postcode": "LS6 2AB",
            **date_fields("date_of_birth", certificate.mother_date_of_birth),
        },
        "relationship": {"parents_married": "yes"},
        "father": {
            "forenames": "Daniel",
            "surname": "Hartley",
            "place_of_birth": "Cardiff",
            **date_fields("date_of_birth", certificate.mother_date_of_birth.replace(year=1990)),
        },
    }


def _start(client) -> Registration:
    response = client.post("/register/start/stillbirth/")
    assert response.status_code == 302
    return Registration.objects.latest("created_at")


JARRING = ("congratulations", "order a birth certificate", "buy", "shop", "celebrate")


def _gentle(html: str) -> None:
    """No jarring words in what the page says (its text, not tokens or references in its tags)."""
    words = re.sub(r"<[^>]+>", " ", html).lower()
    for phrase in JARRING:
        assert not re.search(rf"\b{phrase}\b", words), phrase


def test_the_whole_journey_registers_the_stillbirth_and_offers_the_two_certificates(client, signed_in, certificate):
    start = client.get("/register/stillbirth/")
    assert start.status_code == 200
    text = start.content.decode()
    assert "Register a stillbirth" in text and "24 weeks" in text and "42 days" in text
    _gentle(text)
    assert "/register/stillbirth/" in client.get("/register/").content.decode()
    assert client.get("/register/start/stillbirth/").status_code == 200
    registration = _start(client)
    pages = _pages(certificate)
    order = list(pages)
    for index, step in enumerate(order):
        page = client.get(f"/register/{registration.reference}/{step}/")
        assert page.status_code == 200, step
        _gentle(page.content.decode())
        response = post_step(client, registration, step, pages[step])
        expected = f"/{order[index + 1]}/" if index + 1 < len(order) else "/check/"
        assert response["Location"].endswith(expected), (step, response["Location"])
    check = client.get(f"/register/{registration.reference}/check/")
    text = check.content.decode()
    assert check.status_code == 200 and "Grace" in text and "Leeds General Infirmary" in text
    _gentle(text)
    response = post_step(client, registration, "declaration", {"confirmed": "on"})
    assert response["Location"] == f"/register/{registration.reference}/sent/"
    sent = client.get(response["Location"]).content.decode()
    _gentle(sent)
    assert "certificate of registration" in sent and "certificate for burial or cremation" in sent
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    entry = RegisterEntry.objects.get()
    assert entry.event == "stillbirth" and entry.particulars["time_of_delivery"] == "04:35"
    for name in ("certificate-of-registration", "burial-or-cremation"):
        pdf = client.get(f"/register/stillbirth/{registration.reference}/{name}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF") and pdf["Cache-Control"] == "private, no-store"


def test_choosing_not_to_name_the_baby_skips_the_names(client, signed_in, certificate):
    registration = make_registration(
        event="stillbirth", informant=signed_in, answers=stillbirth_answers(certificate, declaration=None)
    )
    post_step(client, registration, "name", {"give_name": "no", "forenames": "Ignored", "surname": "Ignored"})
    registration.refresh_from_db()
    assert registration.answers["name"] == {"give_name": False, "forenames": "", "surname": ""}


def _registration(mother, certificate):
    answers = stillbirth_answers(certificate)
    answers.pop("declaration")
    return make_registration(event="stillbirth", informant=mother, answers=answers)


def _bad_inputs():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return [
        ("informant", {}, "Select who you are"),
        ("informant", {"qualification": "neighbour"}, "Select who you are"),
        ("informant", {"qualification": "occupier"}, "Only a parent can register"),
        ("certificate", {"reference": ""}, "Enter the reference of the medical certificate of stillbirth"),
        ("certificate", {"reference": "MCS-NEVER-SENT"}, "We have not received a medical certificate of stillbirth"),
        ("baby", {"sex": "", **date_fields("date_of_delivery", timezone.localdate())}, "Select your baby&#x27;s sex"),
        ("baby", {"sex": "female", **date_fields("date_of_delivery", tomorrow)}, "today or in the past"),
        (
            "baby",
            {"sex": "female", "date_of_delivery_0": "31", "date_of_delivery_1": "2", "date_of_delivery_2": "2026"},
            "must be a real date",
        ),
        (
            "baby",
            {"sex": "female", "time_of_delivery": "25:00", **date_fields("date_of_delivery", timezone.localdate())},
            "Enter the time like 14:05",
        ),
        ("name", {}, "Select yes if you want to give your baby a name"),
        ("name", {"give_name": "yes", "forenames": "", "surname": "Hartley"}, "Enter your baby&#x27;s first name"),
        ("name", {"give_name": "yes", "forenames": "Grace", "surname": ""}, "Enter your baby&#x27;s surname"),
        ("name", {"give_name": "yes", "forenames": "x" * 101, "surname": "H"}, "100 characters or fewer"),
        ("place", {"place_type": "", "address": "A", "postcode": "LS1 3EX"}, "Select where your baby was born"),
        ("place", {"place_type": "home", "address": "A", "postcode": "NOT A CODE"}, "Enter a real postcode"),
        ("place", {"place_type": "hospital", "address": "A", "postcode": "LS1 3EX"}, "Enter the name of the hospital"),
        ("mother", {"forenames": "Emma"}, "Enter the mother&#x27;s surname"),
        ("relationship", {}, "Select yes if the parents were married"),
        ("relationship", {"parents_married": "no"}, "Select yes to name the other parent, or no to register alone"),
        ("father", {"forenames": "Daniel"}, "Enter their surname"),
        ("declaration", {}, "Confirm the declaration to send the registration"),
    ]


@pytest.mark.parametrize(("step", "data", "message"), _bad_inputs())
def test_bad_input_on_every_page_is_a_clear_error_and_loses_nothing(
    client, signed_in, certificate, step, data, message
):
    registration = _registration(signed_in, certificate)
    before = dict(registration.answers)
    response = client.post(f"/register/{registration.reference}/{step}/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text and "<title>Error:" in text
    registration.refresh_from_db()
    assert registration.answers == before


def test_the_unmarried_parents_pages_ask_for_the_other_parent(client, signed_in, certificate):
    registration = _registration(signed_in, certificate)
    post_step(client, registration, "relationship", {"parents_married": "no", "register_jointly": "yes"})
    page = client.get(f"/register/{registration.reference}/second_parent/")
    assert page.status_code == 200 and "The stillbirth is registered when they do" in page.content.decode()
    bad = client.post(f"/register/{registration.reference}/second_parent/", {"channel": "email", "email": ""})
    assert bad.status_code == 400 and "Enter the other parent" in bad.content.decode()


def test_someone_elses_stillbirth_is_404_on_every_page_and_pdf(client, certificate, mother):
    from tests.factories import UserFactory

    registration = _registration(mother, certificate)
    client.force_login(UserFactory())
    for url in (
        f"/register/{registration.reference}/",
        f"/register/{registration.reference}/baby/",
        f"/register/{registration.reference}/check/",
        f"/register/stillbirth/{registration.reference}/certificate-of-registration.pdf",
        f"/register/stillbirth/{registration.reference}/burial-or-cremation.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_the_pdfs_are_only_for_a_registered_stillbirth(client, signed_in, certificate):
    registration = _registration(signed_in, certificate)
    assert client.get(f"/register/stillbirth/{registration.reference}/burial-or-cremation.pdf").status_code == 404


def test_pages_are_in_welsh_when_asked(client, signed_in, certificate):
    response = client.get("/register/stillbirth/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200 and 'lang="cy"' in response.content.decode()


# --- The API: the same forms -------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    token, _expires = issue_api_token(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_the_api_registers_a_stillbirth_through_the_same_steps(mother, certificate):
    api = _api(mother)
    created = api.post("/api/v1/registrar/registrations", {"event": "stillbirth"}, format="json")
    assert created.status_code == 201, created.json()
    reference = created.json()["reference"]
    assert created.json()["steps"][:4] == ["informant", "certificate", "baby", "name"]
    answers = stillbirth_answers(certificate)
    answers.pop("declaration")
    for step, values in answers.items():
        response = api.put(f"/api/v1/registrar/registrations/{reference}/answers/{step}", values, format="json")
        assert response.status_code == 200, (step, response.json())
    sent = api.post(f"/api/v1/registrar/registrations/{reference}/submit", {"declaration": True}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "registered"
    assert sent.json()["entry"].split("/")[1] == "S"


@pytest.mark.parametrize(
    ("step", "data", "message"), [item for item in _bad_inputs() if item[0] not in ("declaration",)][:6]
)
def test_page_and_api_refuse_bad_answers_with_the_same_words(client, signed_in, certificate, step, data, message):
    registration = _registration(signed_in, certificate)
    api_body = {key: value for key, value in data.items() if key[-2:] not in ("_0", "_1", "_2")}
    for name in ("date_of_delivery",):
        if f"{name}_0" in data:
            api_body[name] = f"{data[f'{name}_2']}-{int(data[f'{name}_1']):02d}-{int(data[f'{name}_0']):02d}"
    response = _api(signed_in).put(
        f"/api/v1/registrar/registrations/{registration.reference}/answers/{step}", api_body, format="json"
    )
    assert response.status_code == 400, response.json()
    messages = [text for texts in response.json()["error"]["fields"].values() for text in texts]
    assert any(message.replace("&#x27;", "'") in text for text in messages), messages
    registration.refresh_from_db()
    assert registration.answers == _registration(signed_in, certificate).answers
