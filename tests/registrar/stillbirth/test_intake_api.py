"""The hospitals' and midwives' API: `POST /api/v1/registrar/stillbirth-certificates`, for the
"Hospital or midwife (API)" role only; bad bodies get a 4xx in the one error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from identity.services import issue_api_token
from registrar.models import StillbirthCertificate
from registrar.refusals import RegistrationRefused
from registrar.stillbirth.services import record_stillbirth_certificate
from tests.factories import StaffFactory, UserFactory, make_registration
from tests.factories.stillbirth import StillbirthCertificateFactory, stillbirth_answers

pytestmark = pytest.mark.django_db

URL = "/api/v1/registrar/stillbirth-certificates"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _expires = issue_api_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _body(**extra):
    body = {
        "reference": "mcs-2026-000042",
        "mother_given_names": "Emma Louise",
        "mother_surname": "Hartley",
        "mother_date_of_birth": "1992-04-18",
        "delivered_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "delivered_at": "04:35",
        "place_of_delivery": "Leeds General Infirmary",
        "place_of_delivery_postcode": "ls1 3ex",
        "sex": "female",
        "weeks_of_pregnancy": 31,
        "weight_grams": 1420,
        "cause": "Placental abruption",
        "certifier": "midwife",
        "certifier_name": "Grace Okafor",
        "certifier_registration_number": "12A3456E",
    }
    body.update(extra)
    return body


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_a_midwife_sends_a_certificate_and_its_district_comes_from_the_postcode(certifier, offices):
    response = _client(certifier).post(URL, _body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"] == "MCS-2026-000042"
    assert data["district"] == "E-LEEDS"
    assert data["weeks_of_pregnancy"] == 31
    certificate = StillbirthCertificate.objects.get()
    assert certificate.submitted_by == certifier and certificate.certifier == "midwife"


def test_weight_and_time_are_optional(certifier, offices):
    body = _body()
    del body["weight_grams"], body["delivered_at"]
    assert _client(certifier).post(URL, body, format="json").status_code == 201


def test_fewer_than_the_minimum_weeks_is_refused(certifier, offices, settings):
    response = _client(certifier).post(URL, _body(weeks_of_pregnancy=23), format="json")
    assert response.status_code == 400
    error = _error(response)
    assert "24 weeks" in error["fields"]["weeks_of_pregnancy"][0]
    settings.STILLBIRTH_MINIMUM_WEEKS = 22
    assert _client(certifier).post(URL, _body(weeks_of_pregnancy=23), format="json").status_code == 201


def test_a_reference_sent_twice_is_refused(certifier, offices):
    assert _client(certifier).post(URL, _body(), format="json").status_code == 201
    response = _client(certifier).post(URL, _body(reference="MCS-2026-000042"), format="json")
    assert response.status_code == 400
    assert "already been sent" in _error(response)["fields"]["reference"][0]
    assert StillbirthCertificate.objects.count() == 1


def test_a_duplicate_that_races_past_the_check_is_a_409_not_a_500(certifier, offices):
    StillbirthCertificateFactory(reference="MCS-RACE-1")
    with pytest.raises(RegistrationRefused) as refused:
        record_stillbirth_certificate(
            submitted_by=certifier,
            details={**_body(reference="MCS-RACE-1"), "delivered_on": timezone.localdate(), "delivered_at": None},
        )
    assert refused.value.status == 409


@pytest.mark.parametrize(
    "change",
    [
        {"reference": "!"},
        {"sex": "unknown"},
        {"weeks_of_pregnancy": "thirty"},
        {"weeks_of_pregnancy": 60},
        {"weight_grams": -5},
        {"delivered_on": "2026-13-45"},
        {"delivered_at": "25:99"},
        {"place_of_delivery_postcode": "not a postcode"},
        {"certifier": "nurse"},
        {"certifier_registration_number": "12 34"},
        {"district": "E-NOWHERE"},
        {"cause": ""},
        {"mother_surname": "x" * 201},
    ],
)
def test_bad_bodies_get_400_in_the_one_shape(certifier, offices, change):
    response = _client(certifier).post(URL, _body(**change), format="json")
    assert response.status_code == 400, response.content
    error = _error(response)
    assert set(error["fields"]) & set(change), error
    assert not StillbirthCertificate.objects.exists()


def test_a_delivery_in_the_future_is_refused(certifier, offices):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _client(certifier).post(URL, _body(delivered_on=tomorrow), format="json")
    assert response.status_code == 400
    assert "future" in _error(response)["fields"]["delivered_on"][0]


def test_a_body_that_is_not_an_object_is_a_400(certifier):
    response = _client(certifier).post(URL, ["a", "list"], format="json")
    assert response.status_code == 400
    _error(response)


def test_only_hospitals_and_midwives_may_send(offices):
    assert _client().post(URL, _body(), format="json").status_code == 401
    examiner = StaffFactory(roles=["Medical examiner (API)"], authenticator=False)
    assert _client(examiner).post(URL, _body(), format="json").status_code == 403
    citizen = UserFactory()
    response = _client(citizen).post(URL, _body(), format="json")
    assert response.status_code == 403
    _error(response)


def test_a_draft_waiting_for_the_certificate_is_matched_when_it_arrives(certifier, offices, mother):
    early = StillbirthCertificateFactory.build(reference="MCS-2026-000042")
    registration = make_registration(event="stillbirth", informant=mother, answers=stillbirth_answers(early))
    registration.status = "draft"
    registration.save()
    assert registration.stillbirth_certificate is None
    assert _client(certifier).post(URL, _body(), format="json").status_code == 201
    registration.refresh_from_db()
    assert registration.stillbirth_certificate.reference == "MCS-2026-000042"
