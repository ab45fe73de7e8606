"""Coroners and their certificates: a coroner's API client for a district, the body a coroner
sends, a certificate recorded the way the API records it, and every documented status of the
coroners' API for tests/api/test_documented_statuses.py."""

from __future__ import annotations

import datetime

from django.utils import timezone

from identity import roles
from registrar.inquest import services
from registrar.inquest.serializers import CoronerCertificateRequestSerializer
from registrar.models import CoronerCertificate
from tests.factories.identity import RegisterOfficeFactory, StaffFactory, api_client

CORONER_CERTIFICATES = "/api/v1/registrar/coroner-certificates"
REGISTER = CORONER_CERTIFICATES + "/{reference}/register"


def coroner(*districts):
    """A coroner's office API client that sends for `districts`."""
    # No password: an API client signs in with its token (and hashing one is slow).
    client = StaffFactory(
        roles=[roles.CORONER], authenticator=False, password=None, full_name="West Yorkshire Coroner's Office"
    )
    client.offices.set(districts)
    return client


def coroner_body(**extra) -> dict:
    """A certificate after inquest as a coroner sends it (JSON), for a death in Leeds (LS9)."""
    died = timezone.localdate() - datetime.timedelta(days=60)
    body = {
        "reference": "WYC-2026-0451",
        "kind": "after_inquest",
        "deceased_given_names": "Margaret Ann",
        "deceased_surname": "Whitaker",
        "deceased_date_of_birth": "1938-07-21",
        "sex": "female",
        "date_of_death": died.isoformat(),
        "place_of_death": "Roundhay Park, Leeds",
        "place_of_death_postcode": "LS9 7TF",
        "occupation": "Retired librarian",
        "usual_address": "4 Oak Road, Leeds LS6 1AA",
        "cause_of_death": "1a Drowning",
        "conclusion": "Accident",
        "coroner_name": "Kevin McLoughlin",
        "coroner_area": "West Yorkshire (Eastern)",
        "inquest_date": (died + datetime.timedelta(days=50)).isoformat(),
        "family_name": "Susan Whitaker",
        "family_email": "susan.whitaker@example.org",
    }
    body.update(extra)
    return body


def record_certificate(submitted_by, **extra) -> CoronerCertificate:
    """A certificate recorded through the service, as the API records it (dates as dates)."""
    serializer = CoronerCertificateRequestSerializer(data=coroner_body(**extra))
    serializer.is_valid(raise_exception=True)
    return services.record_coroner_certificate(submitted_by=submitted_by, details=dict(serializer.validated_data))


def reach_documented_statuses(hit) -> None:
    """Intake: 201, a duplicate (409), a wrong body (400), another area (403), not JSON (415).
    Registering: 201, again (409), unconfirmed (400), unknown (404), not JSON (415), not staff (403)."""
    leeds = RegisterOfficeFactory(code="E-LEEDS-INQ", name="Leeds (inquests)")
    york = RegisterOfficeFactory(code="E-YORK-INQ", name="York (inquests)")
    sender = api_client(coroner(leeds))
    body = coroner_body(district=leeds.code, place_of_death_postcode="")
    hit(sender, "POST", CORONER_CERTIFICATES, data="x", content_type="text/plain")  # 415
    hit(sender, "POST", CORONER_CERTIFICATES, data={"kind": "x"}, format="json")  # 400
    hit(sender, "POST", CORONER_CERTIFICATES, data={**body, "district": york.code}, format="json")  # 403
    hit(sender, "POST", CORONER_CERTIFICATES, data=body, format="json")  # 201
    hit(sender, "POST", CORONER_CERTIFICATES, data=body, format="json")  # 409
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(leeds)
    staff = api_client(registrar)
    values = {"reference": body["reference"]}
    hit(staff, "POST", REGISTER, values, data="x", content_type="text/plain")  # 415
    hit(staff, "POST", REGISTER, values, data={"checked": False}, format="json")  # 400
    hit(staff, "POST", REGISTER, {"reference": "NOPE-0000"}, data={"checked": True}, format="json")  # 404
    hit(api_client(StaffFactory(roles=[roles.PHONE_SUPPORT])), "POST", REGISTER, values, data={"checked": True})  # 403
    hit(staff, "POST", REGISTER, values, data={"checked": True}, format="json")  # 201
    hit(staff, "POST", REGISTER, values, data={"checked": True}, format="json")  # 409
