"""The demo couples of `make run`: notices on the public page in Leeds and Cardiff, a religious
marriage authorised with its schedule waiting for the officiant; loading twice makes no more."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from registrar.models import Proposal, Schedule
from tests.factories.identity import make_real_offices

pytestmark = pytest.mark.django_db


def test_the_demo_couples_are_on_display_and_one_schedule_waits_for_its_officiant(client, settings):
    settings.DEBUG = True
    make_real_offices("E-LEEDS", "W-CARDIFF")
    call_command("load_booking_demo_data", stdout=io.StringIO())
    call_command("load_marriage_demo_data", stdout=io.StringIO())
    call_command("load_marriage_demo_data", stdout=io.StringIO())
    assert Proposal.objects.count() == 3
    assert Proposal.objects.filter(kind="civil_partnership", district__code="W-CARDIFF").exists()
    schedule = Schedule.objects.get()
    assert schedule.proposal.form == "religious" and schedule.status == "issued"
    leeds = client.get("/notices/", {"district": "E-LEEDS"}).content.decode()
    assert "Amara Okafor" in leeds and "Tom Hughes" in leeds
    assert "Grace Adeyemi" not in leeds  # given 40 days ago: no longer on display
