"""The person's side of a registrar's question (shown on the status page, answered there, the
case goes back to the registrar) and "who was told" after registration."""

from __future__ import annotations

import pytest

from identity import roles
from registrar import casework, events
from registrar.models import EventKind, Registration
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    WebhookSubscriptionFactory,
    make_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(client):
    office = RegisterOfficeFactory(code="E-LEEDS")
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(office)
    registration = RegistrationFactory(district=office)
    casework.decide(
        registration=registration, actor=registrar, decision="request_information", reason="Which hospital was it?"
    )
    client.force_login(registration.informant)
    return registration


def test_the_question_is_on_the_status_page_and_the_answer_sends_it_back(client, asked):
    page = client.get(f"/register/{asked.reference}/").content.decode()
    assert "A registrar has a question" in page and "Which hospital was it?" in page
    response = client.post(f"/register/{asked.reference}/answer/", {"answer": "St James's, Leeds"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Registration.Status.WITH_REGISTRAR
    assert asked.case_actions.filter(kind="information_given", text="St James's, Leeds").exists()
    assert "Your answer has been sent" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("answer", "message"), [("   ", "Enter your answer"), ("x" * 5001, "5000 characters")])
def test_a_bad_answer_is_a_clear_error_and_the_question_stays(client, asked, answer, message):
    response = client.post(f"/register/{asked.reference}/answer/", {"answer": answer})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html and "<title>Error:" in html
    asked.refresh_from_db()
    assert asked.status == Registration.Status.INFORMATION_REQUESTED


def test_answering_twice_is_refused_cleanly(client, asked):
    client.post(f"/register/{asked.reference}/answer/", {"answer": "St James's"})
    response = client.post(f"/register/{asked.reference}/answer/", {"answer": "Again"})
    assert response.status_code == 409 and "no question to answer" in response.content.decode()


def test_someone_else_cannot_see_or_answer_the_question(client, asked):
    client.force_login(UserFactory())
    assert client.get(f"/register/{asked.reference}/").status_code == 404
    assert client.post(f"/register/{asked.reference}/answer/", {"answer": "x"}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == Registration.Status.INFORMATION_REQUESTED


def test_the_status_page_says_who_was_told(client):
    office = RegisterOfficeFactory(code="E-YORK")
    registration = RegistrationFactory(district=office, status="registered")
    WebhookSubscriptionFactory(integrator="HM Revenue and Customs", events=["registered"])
    entry = make_entry(district=office, registration=registration)
    events.publish(kind=EventKind.REGISTERED, entry=entry)
    client.force_login(registration.informant)
    page = client.get(f"/register/{registration.reference}/").content.decode()
    assert "Who we told" in page and "HM Revenue and Customs" in page
