"""The re-registration API: the same forms, services and refusals as the pages; each step's bad
input a clear 400 in the one error shape; someone else's re-registration a 404."""

from __future__ import annotations

import pytest

from registrar.models import EntryReRegistration
from registrar.reregistration import services
from tests.factories import UserFactory, api_client

from .conftest import DETAILS

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registrar/re-registrations"


def test_the_whole_journey_through_the_api(mother, father, entry):
    client = api_client(mother)
    started = client.post(BASE, {"entry": entry.entry_reference, "reason": "add_parent"}, format="json")
    assert started.status_code == 201, started.json()
    reference = started.json()["reference"]
    assert started.json()["next_step"] == "details"
    details = client.put(f"{BASE}/{reference}/details", DETAILS, format="json")
    assert details.status_code == 200 and details.json()["next_step"] == "confirm"
    confirmed = client.post(f"{BASE}/{reference}/confirm", {"confirmed": True}, format="json")
    assert confirmed.json()["status"] == "awaiting_other_parent"
    token = services.invitation_token(services.reregistration_for_token(_token_of(reference)))
    done = api_client(father).post(f"{BASE}/invitation/confirm", {"token": token, "confirmed": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "registered"
    assert done.json()["new_entry"] == EntryReRegistration.objects.get(original=entry).new_entry.entry_reference
    assert [item["reference"] for item in client.get(BASE).json()] == [reference]


def _token_of(reference):
    from registrar.models import ReRegistration

    return services.invitation_token(ReRegistration.objects.get(reference=reference))


def test_bad_input_at_every_endpoint_is_a_400_in_the_one_shape(mother, father, entry):
    client = api_client(mother)
    assert client.post(BASE, {"entry": entry.entry_reference, "reason": "whim"}, format="json").status_code == 400
    assert client.post(BASE, "{nope", content_type="application/json").status_code == 400
    reference = client.post(BASE, {"entry": entry.entry_reference, "reason": "legitimation"}, format="json").json()[
        "reference"
    ]
    bad = client.put(f"{BASE}/{reference}/details", {**DETAILS, "married_on": "2026-02-31"}, format="json")
    assert bad.status_code == 400 and "married_on" in bad.json()["error"]["fields"]
    missing = client.put(f"{BASE}/{reference}/details", DETAILS, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "rr_marriage_details_needed"
    assert client.post(f"{BASE}/{reference}/confirm", {"confirmed": False}, format="json").status_code == 400
    assert client.post(f"{BASE}/{reference}/confirm", {"confirmed": True}, format="json").status_code == 400
    other = api_client(father)
    assert (
        other.post(f"{BASE}/invitation/confirm", {"token": "forged", "confirmed": True}, format="json").status_code
        == 404
    )
    assert other.post(f"{BASE}/invitation/decline", {"token": "forged"}, format="json").status_code == 400
    assert other.get(f"{BASE}/{reference}").status_code == 404


def test_the_page_and_the_api_refuse_in_the_same_words(mother, entry, client):
    unverified = UserFactory()
    response = api_client(unverified).post(
        BASE, {"entry": entry.entry_reference, "reason": "add_parent"}, format="json"
    )
    assert response.status_code == 404  # not named on the entry
    api = api_client(mother)
    reference = api.post(BASE, {"entry": entry.entry_reference, "reason": "add_parent"}, format="json").json()[
        "reference"
    ]
    again = api.post(BASE, {"entry": entry.entry_reference, "reason": "add_parent"}, format="json")
    assert again.status_code == 409
    client.force_login(mother)
    from django.urls import reverse

    page = client.post(
        reverse("reregistration:reason", args=[entry.district.code, entry.year, entry.number]),
        {"entry": entry.entry_reference, "reason": "add_parent"},
    )
    assert page.status_code == 409
    assert again.json()["error"]["message"] in page.content.decode().replace("&#x27;", "'")
    assert reference
