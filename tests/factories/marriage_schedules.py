"""Proposals whose waiting period is over, authorised with their schedule, and the form the
day's record is posted with (tests/factories/marriage.py makes the earlier stages)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from registrar.marriage import schedule_services
from tests.factories.booking import diary_staff
from tests.factories.identity import StaffFactory, api_client
from tests.factories.marriage import make_proposal

# Notices given this many days ago: the 28 full days are over today.
WAIT_OVER = 29


def due_proposal(**kwargs):
    """Both notices given WAIT_OVER days ago, both exempt: the authority can be issued today."""
    kwargs.setdefault("notices", "given")
    kwargs.setdefault("given_on", timezone.localdate() - datetime.timedelta(days=WAIT_OVER))
    return make_proposal(**kwargs)


def authorised_proposal(**kwargs):
    """A due proposal with its authority issued (by the daily task) and its schedule made."""
    proposal = due_proposal(**kwargs)
    schedule_services.issue_authority(proposal)
    proposal.refresh_from_db()
    return proposal


def superintendent(office, **extra):
    return diary_staff(office, role="Superintendent registrar", **extra)


def registrar(office, **extra):
    return diary_staff(office, role="Registrar", **extra)


def day_form(*, day: datetime.date | None = None, civil: bool = True, **overrides) -> dict:
    """The on-the-day form as posted (dates in three boxes)."""
    day = day or timezone.localdate()
    data = {
        "parties_confirmed": "on",
        "ceremony_date_0": str(day.day),
        "ceremony_date_1": str(day.month),
        "ceremony_date_2": str(day.year),
        "ceremony_place": "Leeds Register Office, Park Square",
        "officiant_1_name": "Gwen Super",
        "officiant_1_role": "Superintendent registrar",
        "witness_1_name": "Alun Witness",
        "witness_1_date_of_birth_0": "1",
        "witness_1_date_of_birth_1": "1",
        "witness_1_date_of_birth_2": "1980",
        "witness_2_name": "Bethan Witness",
        "witness_2_date_of_birth_0": "2",
        "witness_2_date_of_birth_1": "2",
        "witness_2_date_of_birth_2": "1985",
        "signed": "on",
    }
    if civil:
        data.update({"officiant_2_name": "Rhian Registrar", "officiant_2_role": "Registrar"})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def day_json(*, day: datetime.date | None = None, civil: bool = False, **overrides) -> dict:
    """The same record as the API takes it."""
    day = day or timezone.localdate()
    data = {
        "parties_confirmed": True,
        "ceremony_date": day.isoformat(),
        "ceremony_place": "St Anne's Church, Vicar Lane, Leeds",
        "officiant_1_name": "Revd Huw Jones",
        "officiant_1_role": "Vicar",
        "witness_1_name": "Alun Witness",
        "witness_1_date_of_birth": "1980-01-01",
        "witness_2_name": "Bethan Witness",
        "witness_2_date_of_birth": "1985-02-02",
        "signed": True,
    }
    if civil:
        data.update({"officiant_2_name": "Rhian Registrar", "officiant_2_role": "Registrar"})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def reach_documented_statuses(hit) -> None:
    """Every documented status of the schedule API, for tests/api/test_documented_statuses.py:
    an authorised person's return and a registrar's registering, each accepted once, then a
    duplicate (409), a wrong body (400), an unknown schedule (404) and a body that is not JSON (415)."""
    religious = authorised_proposal(form="religious")
    officiant = StaffFactory(roles=["Authorised person (API)"], authenticator=False, full_name="Revd Huw Jones")
    officiant.offices.add(religious.district)
    civil = authorised_proposal()
    for api, path, proposal, body in (
        (api_client(officiant), "/api/v1/schedules/{reference}/return", religious, day_json()),
        (api_client(registrar(civil.district)), "/api/v1/schedules/{reference}/register", civil, day_json(civil=True)),
    ):
        values = {"reference": proposal.schedule.reference}
        hit(api, "POST", path, values, data="x", content_type="text/plain")  # 415
        hit(api, "POST", path, values, data={"ceremony_date": "soon"}, format="json")  # 400
        hit(api, "POST", path, {"reference": "SC-AAAA-AAAA"}, data=body, format="json")  # 404
        hit(api, "POST", path, values, data=body, format="json")  # 201
        hit(api, "POST", path, values, data=body, format="json")  # 409
