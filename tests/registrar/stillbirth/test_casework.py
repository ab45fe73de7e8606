"""Late or unmatched stillbirths go to the registrar's queue like births: the case page says
why in words, and the registrar can register the stillbirth from it once the certificate is
matched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from identity import roles
from registrar import casework
from registrar.models import Registration
from tests.factories import StaffFactory, make_registration, sign_in_staff, submit_as_informant
from tests.factories.stillbirth import stillbirth_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar(leeds):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(leeds)
    return staff


@pytest.fixture
def mismatched(mother, certificate):
    answers = stillbirth_answers(certificate, mother={"surname": "Clarke"})
    answers.pop("declaration")
    return submit_as_informant(make_registration(event="stillbirth", informant=mother, answers=answers))


def test_an_unmatched_stillbirth_is_in_the_queue_and_its_case_page_says_why(client, registrar, mismatched):
    assert mismatched.status == Registration.Status.WITH_REGISTRAR
    sign_in_staff(client, registrar)
    queue = client.get(reverse("registrar-staff:queue"))
    assert queue.status_code == 200 and mismatched.reference in queue.content.decode()
    page = client.get(reverse("registrar-staff:case", args=[mismatched.reference]))
    html = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 200
    assert "The mother's name does not match the medical certificate of stillbirth" in html
    assert "Grace" in html and "Clarke" in html


def test_the_registrar_registers_it_into_the_register_of_still_births(registrar, mismatched):
    casework.decide(registration=mismatched, actor=registrar, decision="register")
    mismatched.refresh_from_db()
    assert mismatched.status == Registration.Status.REGISTERED
    entry = mismatched.entry
    assert entry.letter == "S" and entry.registered_by == registrar and not entry.index_names.exists()
