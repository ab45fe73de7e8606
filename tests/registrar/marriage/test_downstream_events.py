"""The `registered` event of a marriage or civil partnership: both parties' names, the form of
ceremony and, for a converted marriage, the partnership it came from; no more personal data
than births and deaths carry (no ages, addresses, occupations or parents)."""

from __future__ import annotations

import json

import pytest

from registrar import events
from tests.factories import RegisterOfficeFactory, historic_birth, historic_marriage
from tests.factories.marriage_downstream import registered_partnership

pytestmark = pytest.mark.django_db


def test_a_civil_partnership_event_names_both_parties_and_nothing_more():
    entry = registered_partnership(RegisterOfficeFactory())
    body = json.loads(events.publish(kind="registered", entry=entry).body)
    assert body["entry"]["event"] == "civil_partnership" and body["entry"]["reference"] == entry.entry_reference
    assert body["partnership"] == {
        "parties": [
            {"forenames": "Sarah Meredyth", "surname": "Morgan"},
            {"forenames": "Rhys", "surname": "Pritchard"},
        ],
        "form": "civil",
        "converted_from": None,
    }
    text = json.dumps(body)
    for private in ("Park Row", "Teacher", "Nurse", "1990-03-11", "Olwen Jenkins", "Helen Ashworth"):
        assert private not in text


def test_a_historic_marriage_event_has_no_form_and_a_birth_has_no_partnership():
    marriage = json.loads(events.publish(kind="registered", entry=historic_marriage(RegisterOfficeFactory())).body)
    assert marriage["partnership"]["form"] is None
    assert marriage["partnership"]["parties"][1] == {"forenames": "Sian", "surname": "Pritchard"}
    birth = json.loads(events.publish(kind="registered", entry=historic_birth(RegisterOfficeFactory())).body)
    assert "partnership" not in birth
