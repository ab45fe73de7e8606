"""The public notices page and its API: by registration district, only the name, condition,
intended venue and district of each notice on display, for 28 days from the day it was given."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from registrar.marriage import display_selectors
from registrar.models import Notice, Proposal
from tests.factories.identity import RegisterOfficeFactory
from tests.factories.marriage_objections import PRIVATE_TEXT, displayed_proposal

pytestmark = pytest.mark.django_db

GIVEN = datetime.date(2027, 3, 1)


def _list(client, district, **params):
    return client.get(reverse("notices:list"), {"district": district.code, **params})


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_a_district_shows_only_the_name_condition_venue_and_district(client):
    proposal = displayed_proposal(given_on=GIVEN)
    response = _list(client, proposal.district)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sarah Morgan" in html and "Rhys Pritchard" in html
    assert "Never married or in a civil partnership" in html
    assert "Divorced or civil partnership dissolved" in html
    assert proposal.venue.name in html
    assert proposal.district.name in html
    for private in PRIVATE_TEXT:
        assert private not in html, private


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_the_notice_page_shows_the_same_fields_and_nothing_else(client):
    proposal = displayed_proposal(given_on=GIVEN)
    notice = proposal.notices.get(position=1)
    html = client.get(reverse("notices:notice", args=[notice.reference])).content.decode()
    assert "Sarah Morgan" in html and proposal.venue.name in html
    assert "Object to this notice" in html
    for private in PRIVATE_TEXT:
        assert private not in html, private


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_a_notice_is_displayed_where_it_was_given_and_where_the_ceremony_is(client):
    proposal = displayed_proposal(given_on=GIVEN)
    elsewhere = RegisterOfficeFactory(name="Cardiff Register Office")
    Notice.objects.filter(proposal=proposal, position=2).update(office=elsewhere)
    other_district = RegisterOfficeFactory(name="Nowhere Register Office")
    ceremony_page = _list(client, proposal.district).content.decode()
    assert "Sarah Morgan" in ceremony_page and "Rhys Pritchard" in ceremony_page
    given_page = _list(client, elsewhere).content.decode()
    assert "Rhys Pritchard" in given_page and "Sarah Morgan" not in given_page
    assert "Rhys Pritchard" not in _list(client, other_district).content.decode()


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (GIVEN - datetime.timedelta(days=1), False),  # not before it is given
        (GIVEN, True),  # day 1
        (GIVEN + datetime.timedelta(days=settings.NOTICE_DISPLAY_DAYS - 1), True),  # day 28, the last
        (GIVEN + datetime.timedelta(days=settings.NOTICE_DISPLAY_DAYS), False),  # day 29: gone
    ],
)
def test_a_notice_is_displayed_for_28_days_and_gone_the_day_after(client, today, shown):
    proposal = displayed_proposal(given_on=GIVEN)
    notice = proposal.notices.get(position=1)
    late_evening = datetime.datetime.combine(today, datetime.time(23, 30), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(late_evening, tick=False):
        html = _list(client, proposal.district).content.decode()
        page = client.get(reverse("notices:notice", args=[notice.reference]))
        api = APIClient().get("/api/v1/notices", {"district": proposal.district.code})
    assert ("Sarah Morgan" in html) is shown
    assert page.status_code == (200 if shown else 404)
    assert any(row["reference"] == notice.reference for row in api.json()["results"]) is shown


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
@pytest.mark.parametrize("status", [Proposal.Status.BARRED, Proposal.Status.WITHDRAWN, Proposal.Status.LAPSED])
def test_a_notice_of_a_marriage_no_longer_going_ahead_is_not_displayed(client, status):
    proposal = displayed_proposal(given_on=GIVEN)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    assert "Sarah Morgan" not in _list(client, proposal.district).content.decode()


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
@pytest.mark.parametrize("notices", ["draft", "sent"])
def test_a_notice_not_yet_given_is_not_displayed(client, notices):
    from tests.factories.marriage import make_proposal

    proposal = make_proposal(notices=notices)
    assert display_selectors.displayed_in(district=proposal.district, today=GIVEN).count() == 0
    response = client.get(reverse("notices:notice", args=[proposal.notices.first().reference]))
    assert response.status_code == 404
    assert "is not on display" in response.content.decode()


def test_the_page_asks_for_a_district_first(client):
    RegisterOfficeFactory(name="Leeds Register Office")
    response = client.get(reverse("notices:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<select name="district"' in html and "Leeds Register Office" in html
    assert 'method="get"' in html.lower()


@pytest.mark.parametrize("district", ["", "E-NOWHERE", "x" * 500, "E-\x00"])
def test_an_unknown_district_is_a_clear_400(client, district):
    response = client.get(reverse("notices:list"), {"district": district})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    api = APIClient().get("/api/v1/notices", {"district": district})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("reference", ["NT-NOPE-NOPE", "x" * 300, "%00"])
def test_an_unknown_notice_is_a_404_page(client, reference):
    response = client.get(f"/notices/{reference}/")
    assert response.status_code == 404


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_the_list_is_paginated_and_the_page_number_is_forgiving(client, settings):
    settings.NOTICES_PER_PAGE = 3
    first = displayed_proposal(given_on=GIVEN)
    second = displayed_proposal(given_on=GIVEN, ceremony=None, form="religious", district=first.district)
    assert display_selectors.displayed_in(district=first.district, today=GIVEN).count() == 4
    page_one = _list(client, first.district).content.decode()
    assert 'rel="next"' in page_one and "4 notices on display" in page_one
    page_two = _list(client, first.district, page=2).content.decode()
    assert 'rel="prev"' in page_two
    assert _list(client, first.district, page="zzz").status_code == 200
    assert "St Anne&#x27;s Church" in page_one + page_two
    assert second.notices.count() == 2


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_the_list_costs_the_same_queries_for_many_notices(client, django_assert_max_num_queries):
    first = displayed_proposal(given_on=GIVEN)
    for _ in range(5):
        displayed_proposal(given_on=GIVEN, ceremony=None, form="religious", district=first.district)
    with django_assert_max_num_queries(8):
        response = _list(client, first.district)
    assert response.content.decode().count("See notice or object") == 12
    with django_assert_max_num_queries(6):
        api = APIClient().get("/api/v1/notices", {"district": first.district.code})
    assert api.json()["count"] == 12


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_the_api_lists_the_same_fields_as_the_page(client):
    proposal = displayed_proposal(given_on=GIVEN)
    body = APIClient().get("/api/v1/notices", {"district": proposal.district.code}).json()
    assert body["district"] == {"code": proposal.district.code, "name": proposal.district.name}
    assert set(body["results"][0]) == {"reference", "name", "condition", "venue", "district"}
    text = str(body)
    for private in PRIVATE_TEXT:
        assert private not in text


@time_machine.travel(datetime.datetime(2027, 3, 2, 12), tick=False)
def test_the_page_is_in_welsh_when_asked(client):
    proposal = displayed_proposal(given_on=GIVEN)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = _list(client, proposal.district).content.decode()
    assert 'lang="cy"' in html
    assert "Sarah Morgan" in html
