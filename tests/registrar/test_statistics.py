"""The open statistics: the service's own entries by month and event (historic ones left out),
marriages and civil partnerships by district, converted marriages apart, notices given by month,
and the median days from the later notice to the ceremony; a bad year is a clear 400."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.references import new_reference
from registrar.models import Conversion, Schedule
from registrar.statistics import year_figures
from tests.factories import RegisterOfficeFactory, StaffFactory, historic_marriage
from tests.factories.marriage import make_proposal
from tests.factories.marriage_downstream import registered_entry, registered_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 11, tzinfo=datetime.UTC), tick=False):
        yield


def test_marriages_and_partnerships_are_counted_by_month_and_district():
    leeds = RegisterOfficeFactory(code="E-LEEDS-T", name="Leeds")
    cardiff = RegisterOfficeFactory(code="W-CARDIFF-T", name="Cardiff", welsh_name="Caerdydd", region="Wales")
    registered_entry(leeds, on=datetime.date(2026, 6, 20))
    registered_entry(leeds, on=datetime.date(2026, 6, 27))
    registered_partnership(cardiff, formed=datetime.date(2026, 7, 4))
    historic_marriage(leeds, married=datetime.date(2026, 6, 6))  # loaded from the paper registers
    registered_entry(leeds, on=datetime.date(2025, 6, 20))  # another year
    figures = year_figures(2026)
    june, july = figures.months[5], figures.months[6]
    assert (june.marriages, june.civil_partnerships) == (2, 0)
    assert (july.marriages, july.civil_partnerships) == (0, 1)
    assert figures.totals["marriages"] == 2 and figures.totals["civil_partnerships"] == 1
    assert [(d.district, d.marriages, d.civil_partnerships) for d in figures.districts] == [
        ("Cardiff", 0, 1),
        ("Leeds", 2, 0),
    ]


def test_a_converted_marriage_is_counted_apart_as_well():
    york = RegisterOfficeFactory(code="E-YORK-T")
    partnership = registered_partnership(york, formed=datetime.date(2019, 5, 3))
    marriage = registered_entry(york, on=datetime.date(2026, 8, 1))
    Conversion.objects.create(
        reference=new_reference("CV"),
        partnership=partnership,
        marriage=marriage,
        declared_on=datetime.date(2026, 8, 1),
        declared_at=york,
        registrar=StaffFactory(),
    )
    august = year_figures(2026).months[7]
    assert august.marriages == 1 and august.converted == 1


def test_notices_given_and_the_median_days_from_notice_to_ceremony():
    proposal = make_proposal(notices="given", given_on=datetime.date(2026, 5, 11))
    make_proposal(kind="civil_partnership", notices="given", given_on=datetime.date(2026, 5, 20))
    entry = registered_entry(proposal.district, on=datetime.date(2026, 6, 20))
    Schedule.objects.create(reference=new_reference("SC"), proposal=proposal, entry=entry, status="registered")
    figures = year_figures(2026)
    may = figures.months[4]
    assert may.marriage_notices == 2 and may.partnership_notices == 2
    assert figures.median_days_notice_to_ceremony == {"marriage": 40, "civil_partnership": None}
    assert figures.ceremonies_measured["marriage"] == 1


def test_the_statistics_page_shows_the_figures_and_refuses_a_bad_year(client):
    registered_entry(RegisterOfficeFactory(name="Leeds Register Office"), on=datetime.date(2026, 6, 20))
    response = client.get(reverse("registrar:statistics"))
    html = response.content.decode()
    assert response.status_code == 200 and "Registration statistics, 2026" in html
    assert "Leeds Register Office" in html and "Civil partnerships" in html
    assert "Morgan" not in html and "Pritchard" not in html  # counts only
    for year, message in (("1999", "Enter a year from 2000 to 2026"), ("twenty", "Enter the year as a number")):
        response = client.get(reverse("registrar:statistics"), {"year": year})
        assert response.status_code == 400 and message in response.content.decode()
    assert client.get(reverse("registrar:statistics"), {"year": "2025"}).status_code == 200


def test_the_statistics_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for index in range(5):
        registered_entry(RegisterOfficeFactory(), on=datetime.date(2026, 3, 1 + index))
        registered_partnership(RegisterOfficeFactory(), formed=datetime.date(2026, 4, 1 + index))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registrar:statistics"), {"year": "2026"}).status_code == 200
