"""Notices on public display, with answers that must never be shown, and staff of each role at
an office, for the tests of the notices page, objections and suspicion reports."""

from __future__ import annotations

import datetime

from identity import roles
from tests.factories.identity import StaffFactory
from tests.factories.marriage import make_proposal, notice_answers

# Particulars a notice holds that the public page must never show.
PRIVATE = {
    "born": datetime.date(1991, 5, 17),
    "postcode": "CF10 1EP",
}
PRIVATE_TEXT = ("1991-05-17", "17 May 1991", "17/05/1991", "CF10 1EP", "Quayside", "Teacher", "Marguerite", "british")


def private_answers(forenames: str, surname: str, *, condition: str = "never", **extra) -> dict:
    answers = notice_answers(
        forenames=forenames, surname=surname, condition=condition, born=PRIVATE["born"], postcode=PRIVATE["postcode"]
    )
    answers["address"]["address"] = "7 Quayside\nCardiff"
    answers["parents"]["parents"] = [{"forenames": "Marguerite", "surname": surname, "occupation": "Baker"}]
    answers.update(extra)
    return answers


def displayed_proposal(*, given_on=None, surnames=("Morgan", "Pritchard"), condition="never", **kwargs):
    """A civil marriage whose two notices were given on `given_on` (today by default) and are on display."""
    answers = (
        private_answers("Sarah", surnames[0], condition=condition),
        private_answers("Rhys", surnames[1], condition="divorced"),
    )
    return make_proposal(notices="given", given_on=given_on, answers=answers, **kwargs)


def staff_at(office, *role_names):
    roles.sync_roles()
    member = StaffFactory(roles=list(role_names) or [roles.REGISTRAR])
    if office is not None:
        member.offices.add(office)
    return member
