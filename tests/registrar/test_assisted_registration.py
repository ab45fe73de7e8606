"""Phone support in an assisted session enters a registration's answers for the informant, but
the declaration stays the informant's own: `submit_registration` refuses anyone else, so the
page and the API give the same refusal, and nothing is sent until the informant declares."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from identity import assisted, roles
from identity.models import AuditEntry
from identity.services import issue_api_token
from registrar.models import Registration
from registrar.refusals import RegistrationRefused
from tests.factories import (
    StaffFactory,
    UserFactory,
    birth_pages,
    make_leeds_offices,
    make_registration,
    post_step,
    sign_in_staff,
    verify_identity,
)

pytestmark = pytest.mark.django_db

REFUSAL = RegistrationRefused("declaration_by_informant")


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


@pytest.fixture
def support_api(informant, support):
    api = APIClient()
    token, _expires = issue_api_token(user=support)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ON_BEHALF_OF=str(informant.pk))
    return api


def test_phone_support_answers_for_the_informant_who_then_declares(client, informant, support):
    client.post("/register/start/birth/")
    registration = Registration.objects.get()
    assert registration.informant == informant
    pages = birth_pages(timezone.localdate() - timedelta(days=9))
    for step, data in [
        ("informant", {"qualification": "mother"}),
        ("child", pages["child"]),
        ("place", pages["place"]),
        ("mother", pages["mother"]),
        ("relationship", {"parents_married": "yes"}),
        ("father", pages["father"]),
    ]:
        post_step(client, registration, step, data)
    page = client.get(f"/register/{registration.reference}/declaration/")
    assert page.status_code == 200 and "The informant must make the declaration" in page.content.decode()
    refused = client.post(f"/register/{registration.reference}/declaration/", {"confirmed": "on"})
    assert refused.status_code == 403 and REFUSAL.message in refused.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT and registration.answers["child"]["forenames"]
    assert "declaration" not in registration.answers
    assert AuditEntry.objects.filter(action="assisted.action", actor=support, on_behalf_of=informant).count() >= 7

    # The informant, signed in as themselves, declares and the birth is registered.
    own = client.__class__()
    own.force_login(informant)
    response = own.post(f"/register/{registration.reference}/declaration/", {"confirmed": "on"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_the_api_refuses_a_declaration_on_someone_elses_behalf(informant, support_api):
    created = support_api.post("/api/v1/registrar/registrations", {"event": "birth"}, format="json")
    assert created.status_code == 201, created.json()
    reference = created.json()["reference"]
    response = support_api.post(
        f"/api/v1/registrar/registrations/{reference}/submit", {"declaration": True}, format="json"
    )
    assert response.status_code == 403 and "declaration themselves" in response.json()["error"]["message"]
    assert Registration.objects.get(reference=reference).status == Registration.Status.DRAFT


def test_the_page_and_the_api_give_the_same_refusal_to_an_assisted_declaration(client, informant, support_api):
    page_registration = make_registration(informant=informant)
    api_registration = make_registration(informant=informant)

    page = client.post(f"/register/{page_registration.reference}/declaration/", {"confirmed": "on"})
    api = support_api.post(
        f"/api/v1/registrar/registrations/{api_registration.reference}/submit", {"declaration": True}, format="json"
    )

    assert page.status_code == api.status_code == REFUSAL.status == 403
    assert api.json()["error"] == {"code": "declaration_by_informant", "message": REFUSAL.message}
    assert REFUSAL.message in page.content.decode()
    for registration in (page_registration, api_registration):
        registration.refresh_from_db()
        assert registration.status == Registration.Status.DRAFT and not registration.submitted_at
