"""A registrar takes a registration in person through the staff API: the same services, forms,
checks and refusals (in the same words) as the staff pages; bad bodies are a 400 in the one
error shape and lose nothing saved; another office is refused as on the page."""

from __future__ import annotations

import html

import pytest

from identity.models import AuditEntry
from registrar.models import RegisterEntry, Registration
from tests.factories import api_client, birth_pages, staff_session
from tests.factories.staff_registration import START, TAKEN, sent_code
from tests.factories.staff_registration import taken_birth_steps as birth_steps

from .conftest import BASE, days_ago, step, take_in_person

pytestmark = pytest.mark.django_db


def start(client, **body) -> str:
    response = client.post(TAKEN, {**START, **body}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["reference"]


def answer(client, reference: str, steps) -> dict:
    for name, values in steps:
        response = client.put(f"{TAKEN}/{reference}/answers/{name}", values, format="json")
        assert response.status_code == 200, (name, response.json())
    return response.json()


def test_a_registrar_registers_a_birth_in_person_through_the_api(leeds_registrar):
    client = api_client(leeds_registrar)
    reference = start(client)
    data = client.get(f"{TAKEN}/{reference}").json()
    assert data["status"] == "draft" and data["next_step"] == "informant"
    assert data["taken_by"] == "Taken in person by Ann Registrar"
    assert data["informant_documents"] == "Passport 123456789" and data["code_channels"] == []

    data = answer(client, reference, birth_steps(days_ago(9)))
    assert data["missing_steps"] == ["declaration"] and data["answers"]["child"]["forenames"] == "Olivia Rose"

    response = client.post(f"{TAKEN}/{reference}/declaration", {"read_and_signed": True}, format="json")

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "registered" and data["entry"]
    assert data["declared"].startswith("Declaration read to and signed by the informant before Ann Registrar")
    registration = Registration.objects.get(reference=reference)
    assert registration.declaration_method == Registration.DeclarationMethod.IN_PERSON
    entry = RegisterEntry.objects.get(registration=registration)
    assert entry.registered_by == leeds_registrar and entry.entry_reference == data["entry"]
    assert AuditEntry.objects.filter(action="staff_registration.declared", actor=leeds_registrar).exists()
    assert AuditEntry.objects.filter(action="staff_registration.viewed", detail__page="api").exists()


def test_the_informant_declares_with_a_code_read_back_through_the_api(leeds_registrar):
    client = api_client(leeds_registrar)
    reference = start(client, email="susan@example.com", full_name="Susan Pendleton")
    answer(client, reference, birth_steps(days_ago(5)))
    code_url = f"{TAKEN}/{reference}/declaration/code"
    assert client.post(code_url, {"action": "check", "code": "123456"}, format="json").status_code == 409

    sent = client.post(code_url, {"action": "send", "channel": "email"}, format="json")
    assert sent.status_code == 200 and sent.json()["code_sent"] is True
    again = client.post(code_url, {"action": "send", "channel": "email"}, format="json")
    assert again.status_code == 429 and again["Retry-After"]
    code = sent_code("susan@example.com")
    wrong = client.post(code_url, {"action": "check", "code": f"{(int(code) + 1) % 1_000_000:06d}"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "code_incorrect"

    response = client.post(code_url, {"action": "check", "code": code}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "registered"
    assert Registration.objects.get(reference=reference).declaration_method == Registration.DeclarationMethod.CODE


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"event": "marriage"}, "event", "Select a birth or a death"),
        ({"full_name": ""}, "full_name", "Enter the informant's full name"),
        ({"documents": "  "}, "documents", "Enter the documents you saw to establish the informant's identity"),
        ({"mobile": "12"}, "mobile", "Enter a UK mobile phone number, like 07700 900 982"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"full_name": ["Emma"]}, "full_name", "Enter the informant's full name"),
    ],
)
def test_a_bad_start_is_a_400_with_the_pages_words_and_starts_nothing(leeds_registrar, body, field, message):
    response = api_client(leeds_registrar).post(TAKEN, {**START, **body}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert message in response.json()["error"]["fields"][field]
    assert not Registration.objects.exists()


def test_bad_answers_are_a_400_and_keep_what_was_saved(leeds_registrar):
    client = api_client(leeds_registrar)
    reference = start(client)
    answer(client, reference, birth_steps(days_ago(4))[:2])
    saved = Registration.objects.get(reference=reference).answers
    url = f"{TAKEN}/{reference}/answers/child"
    for body, kwargs in (
        ({"forenames": "", "date_of_birth": "2027-02-31"}, {"format": "json"}),
        ("{not json", {"content_type": "application/json"}),
        (["a", "list"], {"format": "json"}),
    ):
        response = client.put(url, body, **kwargs)
        assert response.status_code == 400, response.json()
        assert set(response.json()["error"]) <= {"code", "message", "fields"}
    assert client.put(f"{TAKEN}/{reference}/answers/nonsense", {}, format="json").status_code == 404
    assert client.put(f"{TAKEN}/{reference}/answers/declaration", {}, format="json").status_code == 404
    assert client.post(f"{TAKEN}/{reference}/declaration", {"read_and_signed": True}, format="json").status_code == 409
    refused = client.post(f"{TAKEN}/{reference}/declaration", {"read_and_signed": False}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["read_and_signed"] == [
        "Confirm that you read the declaration to the informant and that they signed it"
    ]
    assert client.post(f"{TAKEN}/{reference}/declaration/code", {"action": "x"}, format="json").status_code == 400
    registration = Registration.objects.get(reference=reference)
    assert registration.answers == saved and registration.status == Registration.Status.DRAFT


def test_a_place_outside_the_registrars_offices_is_refused_as_on_the_page(client, garforth_registrar):
    api = api_client(garforth_registrar)
    reference = start(api)
    answer(api, reference, birth_steps(days_ago(3))[:2])
    refused = api.put(f"{TAKEN}/{reference}/answers/place", birth_steps(days_ago(3))[2][1], format="json")

    staff_session(client, garforth_registrar)
    registration = take_in_person(client)
    step(client, registration, "informant", {"qualification": "mother"})
    step(client, registration, "child", birth_pages(days_ago(3))["child"])
    page = step(client, registration, "place", birth_pages(days_ago(3))["place"], expect=403)

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "other_office"
    assert refused.json()["error"]["message"] in html.unescape(page.content.decode())
    assert "place" not in Registration.objects.get(reference=reference).answers


def test_another_offices_registrar_cannot_reach_the_registration(leeds_registrar, garforth_registrar):
    reference = start(api_client(leeds_registrar))
    answer(api_client(leeds_registrar), reference, birth_steps(days_ago(4)))
    other = api_client(garforth_registrar)
    assert other.get(f"{TAKEN}/{reference}").status_code == 404
    refused = other.post(f"{TAKEN}/{reference}/declaration", {"read_and_signed": True}, format="json")
    assert refused.status_code == 404
    assert refused.json()["error"]["message"] == "No registration with that reference that you can work"
    assert Registration.objects.get(reference=reference).status == Registration.Status.DRAFT


def test_a_staff_informant_is_refused_in_the_pages_words(client, leeds_registrar, garforth_registrar):
    response = api_client(leeds_registrar).post(TAKEN, {**START, "email": garforth_registrar.email}, format="json")
    staff_session(client, leeds_registrar)
    client.post(BASE, {"event": "birth"})
    page = client.post(f"{BASE}informant/?event=birth", {**START, "email": garforth_registrar.email})
    assert response.status_code == page.status_code == 400
    assert response.json()["error"]["code"] == "informant_is_staff"
    assert response.json()["error"]["message"] in html.unescape(page.content.decode())
    assert not Registration.objects.exists()


def test_without_a_token_or_the_registrars_role_the_api_refuses(leeds_registrar, caller, phone_support):
    reference = start(api_client(leeds_registrar))
    anonymous = api_client()
    assert anonymous.post(TAKEN, START, format="json").status_code == 401
    assert anonymous.get(f"{TAKEN}/{reference}").status_code == 401
    for user in (caller, phone_support):
        assert api_client(user).post(TAKEN, START, format="json").status_code == 403
        assert api_client(user).get(f"{TAKEN}/{reference}").status_code == 403
    assert Registration.objects.count() == 1


def test_phone_support_takes_a_birth_by_phone_on_the_callers_behalf(phone_support, caller):
    client = api_client(phone_support)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(caller.pk))
    response = client.post(TAKEN, {"event": "birth"}, format="json")
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    assert response.json()["taken_by"] == "Taken by phone by Phil Support"
    answer(client, reference, birth_steps(days_ago(6)))
    refused = client.post(f"{TAKEN}/{reference}/declaration", {"read_and_signed": True}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_in_person"

    code_url = f"{TAKEN}/{reference}/declaration/code"
    assert client.post(code_url, {"action": "send", "channel": "email"}, format="json").status_code == 200
    response = client.post(code_url, {"action": "check", "code": sent_code("emma@example.com")}, format="json")

    assert response.status_code == 200, response.json()
    registration = Registration.objects.get(reference=reference)
    assert registration.informant == caller and registration.made_by == phone_support
    assert registration.status == Registration.Status.REGISTERED and registration.assisted_session_id
    someone_else = api_client(phone_support)
    someone_else.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(phone_support.pk)
    )
    assert someone_else.get(f"{TAKEN}/{reference}").status_code == 403
