"""The birth journey's pages: one question per page, saved as the person goes, check answers,
declaration and sending; bad input gets a GOV.UK error summary (400) and loses nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from registrar.models import RegisterEntry, Registration
from tests.factories import (
    UserFactory,
    birth_answers,
    birth_pages,
    date_fields,
    make_registration,
    post_step,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mother(client, mother):
    """The mother, signed in."""
    client.force_login(mother)
    return mother


BORN = timezone.localdate() - timedelta(days=9)
PAGES = birth_pages(BORN)
CHILD, PLACE, MOTHER, FATHER = PAGES["child"], PAGES["place"], PAGES["mother"], PAGES["father"]


def _start(client) -> Registration:
    response = client.post("/register/start/birth/")
    assert response.status_code == 302
    return Registration.objects.latest("created_at")


def test_the_whole_birth_journey_registers_the_birth(client, offices, mother):
    assert client.get("/register/").status_code == 200
    page = client.get("/register/start/birth/")
    assert page.status_code == 200 and "Prove your identity first" not in page.content.decode()
    registration = _start(client)
    assert client.get(f"/register/{registration.reference}/informant/").status_code == 200
    assert post_step(client, registration, "informant", {"qualification": "mother"})["Location"].endswith("/child/")
    assert post_step(client, registration, "child", CHILD)["Location"].endswith("/place/")
    assert post_step(client, registration, "place", PLACE)["Location"].endswith("/mother/")
    assert post_step(client, registration, "mother", MOTHER)["Location"].endswith("/relationship/")
    assert post_step(client, registration, "relationship", {"parents_married": "yes"})["Location"].endswith("/father/")
    assert post_step(client, registration, "father", FATHER)["Location"].endswith("/check/")
    check = client.get(f"/register/{registration.reference}/check/")
    text = check.content.decode()
    assert check.status_code == 200
    assert "Olivia Rose" in text and "Leeds General Infirmary" in text and "LS1 3EX" in text
    assert BORN.strftime("%-d") in text
    declaration = client.get(f"/register/{registration.reference}/declaration/")
    assert declaration.status_code == 200 and "Send registration" in declaration.content.decode()
    response = post_step(client, registration, "declaration", {"confirmed": "on"})
    assert response["Location"] == f"/register/{registration.reference}/sent/"
    sent = client.get(response["Location"]).content.decode()
    assert "Registration complete" in sent and registration.reference in sent
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    entry = RegisterEntry.objects.get()
    assert entry.particulars["place_of_birth"] == "Leeds General Infirmary, Great George Street, LS1 3EX"
    assert entry.particulars["time_of_birth"] == ""


def test_answers_are_kept_between_visits(client, offices, mother):
    registration = _start(client)
    post_step(client, registration, "informant", {"qualification": "mother"})
    post_step(client, registration, "child", CHILD)
    page = client.get(f"/register/{registration.reference}/child/").content.decode()
    assert 'value="Olivia Rose"' in page
    status = client.get(f"/register/{registration.reference}/").content.decode()
    assert "Continue your registration" in status and f"/register/{registration.reference}/place/" in status


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("informant", {}, "Select who you are"),
        ("informant", {"qualification": "neighbour"}, "Select who you are"),
        ("informant", {"qualification": "occupier"}, "Only a parent can register the birth"),
        ("child", {**CHILD, "forenames": ""}, "Enter the child&#x27;s first name"),
        (
            "child",
            {**CHILD, "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2026"},
            "must be a real date",
        ),
        (
            "child",
            {**CHILD, **date_fields("date_of_birth", timezone.localdate() + timedelta(days=1))},
            "today or in the past",
        ),
        (
            "child",
            {**CHILD, "date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
            "Enter the child&#x27;s date of birth",
        ),
        ("child", {**CHILD, "time_of_birth": "25:00"}, "Enter the time of birth like 14:05"),
        ("child", {**CHILD, "multiple_birth": "yes"}, "it tells twins and triplets apart"),
        ("child", {**CHILD, "sex": "other"}, "Select the child&#x27;s sex"),
        ("child", {**CHILD, "surname": "x" * 101}, "100 characters or fewer"),
        ("place", {**PLACE, "postcode": "NOT A CODE"}, "Enter a real postcode"),
        ("place", {**PLACE, "place_name": ""}, "Enter the name of the hospital"),
        ("mother", {**MOTHER, "place_of_birth": ""}, "Enter their place of birth"),
        ("relationship", {}, "Select yes if the parents were married"),
        ("relationship", {"parents_married": "no"}, "Select yes to name the other parent, or no to register alone"),
    ],
)
def test_bad_input_on_each_page_is_a_clear_error_and_loses_nothing(client, offices, mother, step, data, message):
    registration = make_registration(informant=mother, answers=birth_answers(declaration=None))
    before = dict(registration.answers)
    response = client.post(f"/register/{registration.reference}/{step}/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert "<title>Error:" in text
    registration.refresh_from_db()
    assert registration.answers == before


def test_a_married_father_saying_they_are_not_married_is_asked_to_change_it(client, offices, mother):
    registration = make_registration(
        informant=mother, answers=birth_answers(informant={"qualification": "parent_married"}, declaration=None)
    )
    response = client.post(f"/register/{registration.reference}/relationship/", {"parents_married": "no"})
    assert response.status_code == 400
    assert "Change your answer to who you are" in response.content.decode()


def test_someone_elses_registration_is_404_on_every_page(client, offices, mother):
    other = make_registration(informant=UserFactory())
    for path in ("", "child/", "check/", "sent/", "declaration/"):
        assert client.get(f"/register/{other.reference}/{path}").status_code == 404
    assert client.post(f"/register/{other.reference}/child/", CHILD).status_code == 404
    other.refresh_from_db()
    assert other.answers == birth_answers() | {"declaration": other.answers["declaration"]}


def test_an_unknown_step_is_404(client, offices, mother):
    registration = _start(client)
    assert client.get(f"/register/{registration.reference}/nonsense/").status_code == 404


def test_pages_need_a_signed_in_citizen(client, offices):
    registration = make_registration()
    response = client.get(f"/register/{registration.reference}/child/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert client.post("/register/start/birth/").status_code == 302
    assert not Registration.objects.exclude(pk=registration.pk).exists()


def test_staff_cannot_use_citizen_pages(client, offices):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    assert client.get("/register/start/birth/").status_code == 403


def test_an_unknown_event_is_404(client, mother):
    assert client.get("/register/start/marriage/").status_code == 404


def test_a_question_not_asked_redirects_onward(client, offices, mother):
    registration = make_registration(
        informant=mother,
        answers=birth_answers(relationship={"parents_married": False, "register_jointly": False}, declaration=None),
    )
    response = client.get(f"/register/{registration.reference}/father/")
    assert response.status_code == 302 and response["Location"].endswith("/check/")


def test_the_declaration_waits_until_everything_else_is_answered(client, offices, mother):
    registration = make_registration(informant=mother, answers=birth_answers(mother=None, declaration=None))
    response = client.post(f"/register/{registration.reference}/declaration/", {"confirmed": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/mother/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT


def test_the_declaration_must_be_ticked(client, offices, mother):
    registration = make_registration(informant=mother, answers=birth_answers(declaration=None))
    response = client.post(f"/register/{registration.reference}/declaration/", {})
    assert response.status_code == 400
    assert "Confirm the declaration" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT


def test_a_sent_registration_cannot_be_changed_from_the_pages(client, offices, mother):
    registration = make_registration(informant=mother, status=Registration.Status.WITH_REGISTRAR)
    response = client.post(f"/register/{registration.reference}/child/", CHILD)
    assert response.status_code == 302 and response["Location"] == f"/register/{registration.reference}/"


def test_a_late_birth_asks_why(client, offices, mother):
    born = timezone.localdate() - timedelta(days=50)
    registration = make_registration(informant=mother, answers=birth_answers(born, declaration=None))
    response = client.get(f"/register/{registration.reference}/check/")
    assert response["Location"].endswith("/late_reason/")
    page = client.get(response["Location"]).content.decode()
    assert "The time to register has passed" in page
    response = client.post(f"/register/{registration.reference}/late_reason/", {"reason": ""})
    assert response.status_code == 400
    post_step(client, registration, "late_reason", {"reason": "The baby was in intensive care"})
    post_step(client, registration, "declaration", {"confirmed": "on"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_an_unverified_informant_is_told_and_it_goes_to_a_registrar(client, offices):
    person = UserFactory()
    client.force_login(person)
    assert "Prove your identity first" in client.get("/register/start/birth/").content.decode()
    registration = make_registration(informant=person, answers=birth_answers(declaration=None))
    post_step(client, registration, "declaration", {"confirmed": "on"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITH_REGISTRAR
    sent = client.get(f"/register/{registration.reference}/sent/").content.decode()
    assert "Registration sent" in sent and "A registrar will look at your registration" in sent


def test_pages_are_in_welsh_when_asked(client, offices, mother):
    registration = _start(client)
    response = client.get(f"/register/{registration.reference}/informant/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200
    assert 'lang="cy"' in response.content.decode()
