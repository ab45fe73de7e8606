"""The coroners' API, `POST /api/v1/registrar/coroner-certificates`: coroners only, for the
districts their office sends to; every bad body a 400 in the one error shape, an unknown
district and a duplicate refused clearly, nothing saved by a refused send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from identity import roles
from registrar.models import CoronerCertificate
from tests.factories import StaffFactory, api_client
from tests.factories.inquest import CORONER_CERTIFICATES, coroner_body

pytestmark = pytest.mark.django_db


def _send(user, body, **kwargs):
    return api_client(user).post(CORONER_CERTIFICATES, body, format="json", **kwargs)


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


def test_a_coroner_sends_a_certificate_after_inquest(west_yorkshire, leeds):
    response = _send(west_yorkshire, coroner_body(reference="wyc-2026-0451"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"] == "WYC-2026-0451"
    assert data["kind"] == "after_inquest" and data["status"] == "waiting"
    assert data["district"] == "E-LEEDS" and data["entry"] is None
    certificate = CoronerCertificate.objects.get()
    assert certificate.submitted_by == west_yorkshire
    assert certificate.conclusion == "Accident" and certificate.coroner_area == "West Yorkshire (Eastern)"


def test_an_interim_certificate_needs_no_cause_or_conclusion(west_yorkshire, leeds):
    body = coroner_body(kind="interim_fact_of_death", cause_of_death="", conclusion="")
    response = _send(west_yorkshire, body)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "interim"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cause_of_death": ""}, "cause_of_death"),
        ({"conclusion": "  "}, "conclusion"),
        ({"kind": "verdict"}, "kind"),
        ({"sex": "f"}, "sex"),
        ({"date_of_death": "yesterday"}, "date_of_death"),
        ({"date_of_death": (timezone.localdate() + timedelta(days=1)).isoformat()}, "date_of_death"),
        ({"deceased_date_of_birth": "2100-01-01"}, "deceased_date_of_birth"),
        ({"inquest_date": "2000-01-01"}, "inquest_date"),
        ({"family_email": "not an address"}, "family_email"),
        ({"reference": "has spaces in it"}, "reference"),
        ({"place_of_death_postcode": "NOT A CODE"}, "place_of_death_postcode"),
        ({"mccd_reference": "MCCD-NOPE"}, "mccd_reference"),
        ({"district": "E-NOWHERE"}, "district"),
        ({"deceased_surname": ["Whitaker"]}, "deceased_surname"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field_and_saves_nothing(west_yorkshire, leeds, change, field):
    response = _send(west_yorkshire, coroner_body(**change))
    assert response.status_code == 400
    assert field in _error(response)["fields"]
    assert not CoronerCertificate.objects.exists()


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json", "null"])
def test_a_body_that_is_not_an_object_is_a_400(west_yorkshire, body):
    response = api_client(west_yorkshire).post(CORONER_CERTIFICATES, body, content_type="application/json")
    assert response.status_code == 400
    _error(response)


def test_a_place_in_no_known_district_is_refused(west_yorkshire, leeds):
    response = _send(west_yorkshire, coroner_body(place_of_death_postcode="ZE1 0AA"))
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "coroner_district_unknown" and "registration district" in error["message"]


def test_a_district_the_coroner_does_not_send_to_is_refused(west_yorkshire, garforth):
    response = _send(west_yorkshire, coroner_body(district="E-SELBYTEST"))
    assert response.status_code == 403
    assert _error(response)["code"] == "coroner_wrong_area"
    assert not CoronerCertificate.objects.exists()


def test_the_same_reference_twice_is_a_409_and_keeps_the_first(west_yorkshire, leeds):
    assert _send(west_yorkshire, coroner_body()).status_code == 201
    response = _send(west_yorkshire, coroner_body(reference="wyc-2026-0451", conclusion="Misadventure"))
    assert response.status_code == 409
    assert _error(response)["code"] == "coroner_duplicate"
    assert CoronerCertificate.objects.get().conclusion == "Accident"


def test_only_coroners_send_certificates(leeds):
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    examiner = StaffFactory(roles=[roles.MEDICAL_EXAMINER], authenticator=False)
    for user in (registrar, examiner):
        assert _send(user, coroner_body()).status_code == 403
    assert api_client().post(CORONER_CERTIFICATES, coroner_body(), format="json").status_code == 401
    assert not CoronerCertificate.objects.exists()
