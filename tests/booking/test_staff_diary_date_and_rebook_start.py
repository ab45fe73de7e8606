"""The staff diary's "go to date" is the GOV.UK date input (day, month, year) with an error
summary that links to the day box; the re-booking page's first view asks which of the office's
closures or absences to re-book, in English and Welsh, and refuses another office's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Closure, OfficerAbsence
from booking.selectors import UK
from tests.factories import make_bookable_office

pytestmark = pytest.mark.django_db


def diary(client, office, **query):
    return client.get(reverse("booking-staff:diary", args=[office.code]), query)


def test_the_diary_asks_for_a_date_with_day_month_and_year_boxes(client, registrar, office):
    html = diary(client, office).content.decode()
    today = timezone.localdate()
    assert 'name="go_to_0"' in html and 'name="go_to_1"' in html and 'name="go_to_2"' in html
    assert f'name="go_to_0" type="text" value="{today.day}"' in html or f'value="{today.day}"' in html
    assert "For example, 12 6 2027" in html
    assert 'id="diary-date"' not in html and "Year-month-day" not in html


def test_going_to_a_date_shows_that_day_and_keeps_the_week_view(client, registrar, office, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    response = diary(client, office, go_to_0=day.day, go_to_1=day.month, go_to_2=day.year, view="week")
    html = response.content.decode()
    assert response.status_code == 200 and ceremony.reference in html
    first = day - timedelta(days=day.weekday())
    assert f"Week of {first.day} " in html


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        (("", "", ""), "Enter the date"),
        (("30", "2", "2027"), "The date must be a real date"),
        (("12", "", "2027"), "Enter the date"),
        (("1", "1", "1066"), "The date must be between 2000 and 2200"),
        (("x", "y", "z"), "Enter a valid month"),
    ],
)
def test_a_bad_date_is_a_400_with_an_error_summary_linking_to_the_day_box(client, registrar, office, boxes, message):
    day, month, year = boxes
    response = diary(client, office, go_to_0=day, go_to_1=month, go_to_2=year)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert 'href="#id_go_to_0"' in html and 'id="id_go_to_0"' in html
    assert "<title>Error:" in html


def test_the_date_input_in_welsh(client, welsh, registrar, office):
    html = diary(client, office, go_to_0="30", go_to_1="2", go_to_2="2027").content.decode()
    assert "Mynd i ddyddiad" in html and "Diwrnod" in html and "Mae problem" in html


def test_a_diary_link_with_a_date_still_works(client, registrar, office):
    response = diary(client, office, date=date(2027, 6, 12).isoformat())
    assert response.status_code == 200 and "Saturday 12 June 2027" in response.content.decode()


# --- Re-booking: the first view --------------------------------------------------------------------


def rebook_url(office) -> str:
    return reverse("booking-staff:rebook", args=[office.code])


def test_the_first_view_of_re_booking_is_a_form_not_a_400(client, registrar, office, calendar, ceremony):
    venue = calendar[1]
    day = ceremony.starts_at.astimezone(UK).date()
    closure = Closure.objects.create(venue=venue, starts_on=day, ends_on=day, reason="Flooded basement")
    absence = OfficerAbsence.objects.create(
        officer=ceremony.superintendent, kind="sickness", starts_on=day, ends_on=day
    )
    response = client.get(rebook_url(office))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Which closure or absence do you want to re-book bookings for?" in html
    assert f'value="closure-{closure.pk}"' in html and f'value="absence-{absence.pk}"' in html
    assert f"Closure of {venue.name}, {day.day} {day:%B} {day.year} to" in html and "Flooded basement" in html
    assert "(Sickness)" in html


def test_choosing_a_closure_leads_to_its_affected_bookings(client, registrar, office, calendar, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    closure = Closure.objects.create(venue=calendar[1], starts_on=day, ends_on=day, reason="Flooded basement")
    response = client.get(rebook_url(office), {"subject": f"closure-{closure.pk}"})
    assert response.status_code == 302 and response["Location"] == rebook_url(office) + f"?closure={closure.pk}"
    assert ceremony.reference in client.get(response["Location"]).content.decode()


def test_an_office_without_closures_or_absences_says_nothing_needs_re_booking(client, registrar, office):
    response = client.get(rebook_url(office))
    assert response.status_code == 200
    assert "no closures or absences from today" in response.content.decode()


@pytest.mark.parametrize("subject", ["", "closure-abc", "absence-999999", "nonsense"])
def test_a_bad_choice_is_a_400_with_an_error_summary(client, registrar, office, subject):
    response = client.get(rebook_url(office), {"subject": subject})
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html


def test_another_offices_closure_cannot_be_chosen(client, registrar, office):
    _other, other_venue, *_rooms = make_bookable_office(code="E-NOTMINE")
    today = timezone.localdate()
    closure = Closure.objects.create(venue=other_venue, starts_on=today, ends_on=today, reason="Not mine")
    response = client.get(rebook_url(office), {"subject": f"closure-{closure.pk}"})
    html = response.content.decode()
    assert response.status_code == 400 and "Select one of this office" in html and "Not mine" not in html


def test_the_first_view_in_welsh(client, welsh, registrar, office):
    html = client.get(rebook_url(office)).content.decode()
    assert "Ail-archebu’r archebion yr effeithir arnynt" in html
