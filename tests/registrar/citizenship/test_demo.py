"""The demo data makes group ceremonies and a new citizen who can book one, once."""

from __future__ import annotations

import pytest

from booking.models import CitizenshipCeremony
from registrar.citizenship import selectors
from registrar.citizenship.demo import CITIZEN_EMAIL, load_demo_citizenship
from registrar.models import CitizenshipInvitation
from tests.factories.booking import make_bookable_office
from tests.factories.identity import RegisterOfficeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_is_made_once_and_the_citizen_can_book():
    make_bookable_office(RegisterOfficeFactory(code="E-LEEDS"))
    assert load_demo_citizenship() == 1
    assert load_demo_citizenship() == 0
    invitation = CitizenshipInvitation.objects.get(email=CITIZEN_EMAIL)
    # Scheduled on the calendar by booking's demo: three Wednesdays, rooms and officers held.
    assert CitizenshipCeremony.objects.count() == 3
    assert len(selectors.open_ceremonies(invitation)) == 3
