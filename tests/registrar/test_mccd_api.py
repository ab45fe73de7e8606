"""The medical examiners' API: `POST /api/v1/registrar/mccd` and the coroner's release, for the
"Medical examiner (API)" role only, with clear 4xx JSON errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from identity.services import issue_api_token
from registrar.models import MedicalCertificate, Registration
from tests.factories import (
    MedicalCertificateFactory,
    StaffFactory,
    UserFactory,
    death_answers,
    make_registration,
    submit_as_informant,
    verify_identity,
)

pytestmark = pytest.mark.django_db

MCCD = "/api/v1/registrar/mccd"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _expires = issue_api_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def examiner():
    return StaffFactory(roles=["Medical examiner (API)"], authenticator=False)


def _body(**extra):
    died = timezone.localdate() - timedelta(days=1)
    body = {
        "reference": "me-2026-000123",
        "deceased_given_names": "Margaret Ann",
        "deceased_surname": "Whitaker",
        "deceased_date_of_birth": "1938-07-21",
        "date_of_death": died.isoformat(),
        "place_of_death": "St James's University Hospital, Leeds",
        "place_of_death_postcode": "ls9 7tf",
        "cause_of_death": "1a Congestive cardiac failure",
        "certifying_practitioner": "Dr Priya Shah",
        "medical_examiner": "Dr Owen Hughes",
    }
    body.update(extra)
    return body


def test_a_medical_examiner_sends_an_mccd(examiner, offices):
    response = _client(examiner).post(MCCD, _body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"] == "ME-2026-000123"
    assert data["district"] == "E-LEEDS"
    assert data["blocks_registration"] is False
    certificate = MedicalCertificate.objects.get()
    assert certificate.submitted_by == examiner and certificate.extension_notified_at is None


def test_written_notice_is_recorded_for_the_9_extra_days(examiner, offices):
    response = _client(examiner).post(MCCD, _body(written_notice_given=True), format="json")
    assert response.status_code == 201
    assert MedicalCertificate.objects.get().extension_notified_at is not None


def test_a_named_district_wins_over_the_postcode(examiner, offices):
    response = _client(examiner).post(MCCD, _body(district="E-SELBYTEST"), format="json")
    assert response.json()["district"] == "E-SELBYTEST"


def test_the_same_reference_twice_is_refused(examiner, offices):
    assert _client(examiner).post(MCCD, _body(), format="json").status_code == 201
    response = _client(examiner).post(MCCD, _body(reference="ME-2026-000123"), format="json")
    assert response.status_code == 400
    assert "reference" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "<script>"}, "reference"),
        ({"date_of_death": "tomorrow"}, "date_of_death"),
        ({"date_of_death": (timezone.localdate() + timedelta(days=2)).isoformat()}, "date_of_death"),
        ({"deceased_date_of_birth": "2099-01-01"}, "deceased_date_of_birth"),
        ({"deceased_surname": "x" * 201}, "deceased_surname"),
        ({"place_of_death_postcode": "NOPE"}, "place_of_death_postcode"),
        ({"district": "E-NOWHERE"}, "district"),
        ({"referred_to_coroner": "perhaps"}, "referred_to_coroner"),
        ({"cause_of_death": None}, "cause_of_death"),
    ],
)
def test_bad_mccd_input_is_a_clear_400(examiner, offices, change, field):
    response = _client(examiner).post(MCCD, _body(**change), format="json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and field in body["fields"]
    assert not MedicalCertificate.objects.exists()


@pytest.mark.parametrize("content", ["[1, 2]", "not json", '"text"'])
def test_a_body_that_is_not_an_object_is_400(examiner, content):
    response = _client(examiner).post(MCCD, content, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_only_medical_examiners_send_mccds(offices):
    assert _client().post(MCCD, _body(), format="json").status_code == 401
    assert _client(UserFactory()).post(MCCD, _body(), format="json").status_code == 403
    assert _client(StaffFactory(roles=["Registrar"])).post(MCCD, _body(), format="json").status_code == 403
    assert not MedicalCertificate.objects.exists()


def test_the_coroners_release_registers_a_blocked_death(examiner, offices, django_capture_on_commit_callbacks):
    response = _client(examiner).post(MCCD, _body(referred_to_coroner=True), format="json")
    assert response.json()["blocks_registration"] is True
    certificate = MedicalCertificate.objects.get()
    informant = UserFactory()
    verify_identity(informant)
    registration = make_registration(
        event="death",
        informant=informant,
        answers=death_answers(certificate, death={"postcode": "LS9 7TF"}),
    )
    registration = submit_as_informant(registration)
    assert registration.status == Registration.Status.BLOCKED_BY_CORONER
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(examiner).post(f"{MCCD}/{certificate.reference}/release", {}, format="json")
    assert response.status_code == 200
    assert response.json()["blocks_registration"] is False
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_release_of_a_death_not_referred_is_a_409(examiner, offices):
    certificate = MedicalCertificateFactory()
    response = _client(examiner).post(f"{MCCD}/{certificate.reference}/release", {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_referred"


def test_release_of_an_unknown_certificate_is_404(examiner):
    response = _client(examiner).post(f"{MCCD}/NOPE-1/release", {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_release_needs_the_medical_examiner_role(offices):
    certificate = MedicalCertificateFactory(referred_to_coroner=True)
    response = _client(UserFactory()).post(f"{MCCD}/{certificate.reference}/release", {}, format="json")
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.blocks_registration


def test_the_mccd_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/registrar/mccd" in schema
    assert "/api/v1/registrar/mccd/{reference}/release" in schema
    assert "/api/v1/registrar/registrations/{reference}/answers/{step}" in schema
