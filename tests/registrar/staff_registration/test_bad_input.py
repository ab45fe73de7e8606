"""Bad input on every staff page of a taken registration is a clear 4xx with the GOV.UK error
summary, and nothing already saved is lost."""

from __future__ import annotations

import pytest

from registrar.models import Registration
from tests.factories import birth_pages

from .conftest import BASE, answer_birth, days_ago, step, take_in_person

pytestmark = pytest.mark.django_db


def test_the_start_page_needs_an_event(client, at_desk):
    response = client.post(BASE, {"event": "marriage"})
    assert response.status_code == 400 and "Select a birth or a death" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert client.get(f"{BASE}informant/?event=marriage").status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"full_name": "", "documents": "Passport"}, "Enter the informant&#x27;s full name"),
        ({"full_name": "Emma", "documents": ""}, "Enter the documents you saw"),
        ({"full_name": "Emma", "documents": "Passport", "email": "not-an-email"}, "in the correct format"),
        ({"full_name": "Emma", "documents": "Passport", "mobile": "12345"}, "Enter a UK mobile phone number"),
        ({"full_name": "Emma", "documents": "x" * 501}, "500 characters or fewer"),
    ],
)
def test_the_informant_page_refuses_bad_input(client, at_desk, data, message):
    response = client.post(f"{BASE}informant/?event=birth", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_staff_account_cannot_be_the_informant(client, at_desk, garforth_registrar):
    response = client.post(
        f"{BASE}informant/?event=birth",
        {"full_name": "Gary", "email": garforth_registrar.email, "documents": "Passport"},
    )
    assert response.status_code == 400 and "A staff account cannot be the informant" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("informant", {}, "Select who you are"),
        ("child", {**birth_pages(days_ago(3))["child"], "forenames": ""}, "Enter the child"),
        ("child", {**birth_pages(days_ago(3))["child"], "date_of_birth_0": "40"}, "date of birth"),
        ("place", {**birth_pages(days_ago(3))["place"], "postcode": "12345"}, "Enter a real postcode"),
        ("mother", {**birth_pages(days_ago(3))["mother"], "surname": ""}, "surname"),
        ("relationship", {}, "Select"),
    ],
)
def test_each_question_page_refuses_bad_input_and_keeps_earlier_answers(client, at_desk, name, data, message):
    registration = take_in_person(client)
    pages = birth_pages(days_ago(3))
    earlier = {"informant": {"qualification": "mother"}, "child": pages["child"], "place": pages["place"]}
    earlier.update({"mother": pages["mother"]})
    for earlier_name, earlier_data in earlier.items():
        if earlier_name == name:
            break
        step(client, registration, earlier_name, earlier_data)
    registration.refresh_from_db()
    saved = dict(registration.answers)

    response = step(client, registration, name, data, expect=400)

    text = response.content.decode()
    assert message in text and "There is a problem" in text and "Taken in person by" in text
    registration.refresh_from_db()
    assert registration.answers == saved


def test_an_unknown_step_is_404_and_a_step_not_asked_goes_on(client, at_desk):
    registration = take_in_person(client)
    assert client.get(f"{BASE}{registration.reference}/nonsense/").status_code == 404
    assert client.get(f"{BASE}RG-NONE-0000/child/").status_code == 404
    response = client.get(f"{BASE}{registration.reference}/late_reason/")
    assert response.status_code == 302 and response["Location"].endswith("/informant/")


def test_the_declaration_and_code_pages_refuse_bad_input(client, at_desk):
    registration = answer_birth(client, take_in_person(client, email="susan@example.com"), days_ago(4))
    no_channel = client.post(f"{BASE}{registration.reference}/declaration/", {"action": "send_code"})
    assert no_channel.status_code == 400 and "Select where to send the code" in no_channel.content.decode()
    other_channel = client.post(
        f"{BASE}{registration.reference}/declaration/", {"action": "send_code", "channel": "sms"}
    )
    assert other_channel.status_code == 400
    # No code yet: the code page sends the registrar back to the declaration.
    assert client.get(f"{BASE}{registration.reference}/declaration/code/").status_code == 302
    client.post(f"{BASE}{registration.reference}/declaration/", {"action": "send_code", "channel": "email"})
    for bad in ("", "12ab56", "1234567"):
        response = client.post(f"{BASE}{registration.reference}/declaration/code/", {"code": bad})
        assert response.status_code == 400 and "There is a problem" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT


def test_an_informant_without_email_or_mobile_is_offered_no_code(client, at_desk):
    registration = answer_birth(client, take_in_person(client), days_ago(4))
    page = client.get(f"{BASE}{registration.reference}/declaration/").content.decode()
    assert "a code cannot be sent" in page
    refused = client.post(f"{BASE}{registration.reference}/declaration/", {"action": "send_code", "channel": "email"})
    assert refused.status_code == 400


def test_a_registered_registration_cannot_be_changed(client, at_desk):
    registration = answer_birth(client, take_in_person(client), days_ago(4))
    client.post(f"{BASE}{registration.reference}/declaration/", {"action": "in_person", "read_and_signed": "on"})
    response = client.post(f"{BASE}{registration.reference}/child/", birth_pages(days_ago(2))["child"])
    assert response.status_code == 302 and response["Location"].endswith(f"/{registration.reference}/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.answers["child"]["date_of_birth"] == days_ago(4).isoformat()
