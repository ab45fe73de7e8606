"""Phone support in an assisted session enters a registration's answers for the informant, but
the declaration stays the informant's own: refused for staff on the page and in the API, and
nothing is sent until the informant declares."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from identity import assisted, roles
from identity.models import AuditEntry
from identity.services import issue_api_token
from registrar.models import Registration
from tests.factories import StaffFactory, UserFactory, make_leeds_offices, sign_in_staff, verify_identity
from tests.registrar.test_birth_journey import CHILD, FATHER, MOTHER, PLACE, _step

pytestmark = pytest.mark.django_db


@pytest.fixture
def informant():
    person = UserFactory(email="emma@example.com", full_name="Emma Hartley")
    verify_identity(person)
    return person


@pytest.fixture
def support(client, informant):
    make_leeds_offices()
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    sign_in_staff(client, staff)
    assisted.open_assisted_session(staff=staff, person=informant, code=assisted.issue_consent_code(person=informant))
    return staff


def test_phone_support_answers_for_the_informant_who_then_declares(client, informant, support):
    client.post("/register/start/birth/")
    registration = Registration.objects.get()
    assert registration.informant == informant
    for step, data in [
        ("informant", {"qualification": "mother"}),
        ("child", CHILD),
        ("place", PLACE),
        ("mother", MOTHER),
        ("relationship", {"parents_married": "yes"}),
        ("father", FATHER),
    ]:
        _step(client, registration, step, data)
    page = client.get(f"/register/{registration.reference}/declaration/")
    assert page.status_code == 200 and "The informant must make the declaration" in page.content.decode()
    refused = client.post(f"/register/{registration.reference}/declaration/", {"confirmed": "on"})
    assert refused.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT and registration.answers["child"]["forenames"]
    assert AuditEntry.objects.filter(action="assisted.action", actor=support, on_behalf_of=informant).count() >= 7

    # The informant, signed in as themselves, declares and the birth is registered.
    own = client.__class__()
    own.force_login(informant)
    response = own.post(f"/register/{registration.reference}/declaration/", {"confirmed": "on"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_the_api_refuses_a_declaration_on_someone_elses_behalf(informant, support):
    client = APIClient()
    token, _expires = issue_api_token(user=support)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ON_BEHALF_OF=str(informant.pk))
    created = client.post("/api/v1/registrar/registrations", {"event": "birth"}, format="json")
    assert created.status_code == 201, created.json()
    reference = created.json()["reference"]
    response = client.post(f"/api/v1/registrar/registrations/{reference}/submit", {"declaration": True}, format="json")
    assert response.status_code == 403 and "declaration themselves" in response.json()["error"]["message"]
    assert Registration.objects.get(reference=reference).status == Registration.Status.DRAFT
