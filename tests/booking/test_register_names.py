"""Names of the couple and their witnesses go into the marriage register: the booking API refuses
what the pages refuse (core.names), with the same words."""

from __future__ import annotations

import pytest

from booking.forms import PartyForm, WitnessesForm
from booking.models import Booking
from tests.booking.test_api import HOLDS, _first_slot, _hold
from tests.factories import API_PARTIES as PARTIES
from tests.factories import api_client as _client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, message",
    [
        ("x" * 10_000, "Full name must be 200 characters or fewer"),
        ("Ada 3xample", "Full name must only include letters, spaces, hyphens and apostrophes"),
        ("''", "Full name must include at least one letter"),
    ],
)
def test_a_party_name_the_register_cannot_hold_is_refused_on_the_page_and_the_api(calendar, person, name, message):
    page = PartyForm({"full_name": name})
    assert not page.is_valid() and page.errors["full_name"] == [message]
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    parties = [{**PARTIES[0], "full_name": name}, PARTIES[1]]
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": parties}, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert Booking.objects.get(reference=reference).status == "held"  # nothing saved


def test_a_witness_name_the_register_cannot_hold_is_refused_on_the_page_and_the_api(calendar, person):
    page = WitnessesForm({"witness_1": "W One", "witness_2": "W <b>Two</b>", "aged_16_or_over": "on"})
    assert not page.is_valid() and "only include letters" in page.errors["witness_2"][0]
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    witnesses = {"names": ["W One", "y" * 10_000], "aged_16_or_over": True}
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES, "witnesses": witnesses}, format="json")
    assert response.status_code == 400 and "200 characters or fewer" in str(response.json())


def test_accented_and_hyphenated_names_are_booked(calendar, person):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    parties = [{**PARTIES[0], "full_name": "Siân  O’Brien-Jones"}, PARTIES[1]]
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": parties}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["parties"][0]["full_name"] == "Siân O’Brien-Jones"
