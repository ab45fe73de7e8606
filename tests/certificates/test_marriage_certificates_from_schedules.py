"""From the ceremony to the certificate: a marriage and a civil partnership registered from their
schedule (notices, authority, the day recorded) are certified with the particulars the couple
gave in their notices and the day's officiants and witnesses; the partnership converts into a
marriage whose certificate says so."""

from __future__ import annotations

import pytest
from django.utils import timezone

from certificates import services
from identity import roles
from registrar.marriage import conversion_services, schedule_services
from registrar.marriage.schedule_services import DayRecord
from tests.factories import certificate_pdf, paid_certificate_order
from tests.factories.marriage_downstream import pdf_text
from tests.factories.marriage_schedules import authorised_proposal, registrar, superintendent

pytestmark = pytest.mark.django_db


def _registered(kind: str):
    roles.sync_roles()
    proposal = authorised_proposal(kind=kind)
    record = DayRecord(
        ceremony_date=timezone.localdate(),
        ceremony_place="Leeds Register Office, Park Square",
        officiants=[
            {"name": "Gwen Super", "role": "Superintendent registrar"},
            {"name": "Rhian Registrar", "role": "Registrar"},
        ],
        witnesses=["Alun Witness", "Bethan Witness"],
        signed=True,
    )
    return schedule_services.register_schedule(
        schedule=proposal.schedule,
        record=record,
        actor=superintendent(proposal.district),
        route=schedule_services.ROUTE_CEREMONY,
    )


def _text(entry, kind: str) -> str:
    order = paid_certificate_order(entry, kind=kind)
    services.issue_order(order_id=order.pk)
    return pdf_text(certificate_pdf(order.certificates.get()))


@pytest.mark.parametrize("kind", ["marriage", "civil_partnership"])
def test_an_entry_registered_from_its_schedule_is_certified_with_the_notices_particulars(kind):
    entry = _registered(kind)
    text = _text(entry, kind)
    for expected in (
        "Sarah Meredyth Morgan",
        "Rhys Pritchard",
        "Teacher",
        "Never married or in a civil",
        "1 Park Row",
        "Ann Morgan, Nurse",
        "David Pritchard, Engineer",
        "Leeds Register Office, Park Square",
        "Gwen Super, Superintendent registrar",
        "Rhian Registrar, Registrar",
        "Alun Witness, Bethan Witness",
        entry.entry_reference,
    ):
        assert expected in text, expected


def test_a_partnership_from_its_schedule_converts_and_its_marriage_certificate_says_so():
    partnership = _registered("civil_partnership")
    office = partnership.district
    conversion = conversion_services.convert_partnership(
        partnership=partnership,
        office=office,
        declared_on=timezone.localdate(),
        both_present=True,
        both_signed=True,
        identities_checked=True,
        actor=registrar(office),
    )
    text = _text(conversion.marriage, "marriage")
    assert "Certified copy of an entry of marriage" in text
    assert f"converted from the civil partnership formed on {partnership.event_date:%-d %B %Y}" in text
    assert partnership.entry_reference in text and "Ann Morgan, Nurse" in text
