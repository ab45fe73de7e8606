"""The booking pages in Welsh: the start page, the search with its results and its errors, both
people's details, check answers, the confirmation, the manage page, the email sent when a
ceremony is booked, and a staff page with its form errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors, services
from identity.models import OutboundMessage
from tests.factories import add_parties, signed_in_registrar

pytestmark = pytest.mark.django_db


def _search_params(first, last, **extra) -> dict:
    return {
        "date_from_0": first.day,
        "date_from_1": first.month,
        "date_from_2": first.year,
        "date_to_0": last.day,
        "date_to_1": last.month,
        "date_to_2": last.year,
        **extra,
    }


def _held(person):
    first, _last = selectors.bookable_dates("ceremony")
    slot = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=14), limit=1)
    )[0]
    return services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")


def _welsh_page(client, url, params=None, *, status=200) -> str:
    """The page, or the results of searching it with `params` (posted, and followed to the results)."""
    response = client.post(url, params, follow=True) if params else client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="cy"' in html
    return html


def test_start_page_is_in_welsh(welsh):
    html = _welsh_page(welsh, reverse("booking:start"))
    assert "<title>Archebu seremoni briodas neu bartneriaeth sifil" in html
    assert "Sut mae’n gweithio" in html and "Chwilio am ddyddiad" in html
    assert "How it works" not in html


def test_search_form_is_in_welsh(welsh, calendar):
    html = _welsh_page(welsh, reverse("booking:search"))
    assert "Dod o hyd i ddyddiad a lleoliad ar gyfer seremoni" in html
    for text in ("Cod post neu dref", "Dyddiau’r wythnos", "Dydd Llun", "Gyda’r nos (ar ôl 5pm)", "Nifer y gwesteion"):
        assert text in html, text
    assert "Postcode or town" not in html and "Days of the week" not in html
    assert "Diwrnod" in html and "Blwyddyn" in html  # the boxes of each date
    assert "Month" not in html and "Year" not in html


def test_search_results_are_in_welsh(welsh, calendar):
    first, _last = selectors.bookable_dates("ceremony")
    html = _welsh_page(
        welsh, reverse("booking:search"), _search_params(first, first + timedelta(days=10), place="LS1 3AD")
    )
    assert "Canfuwyd" in html and "km i ffwrdd" in html
    assert "Mewngofnodwch i ddewis yr amser hwn" in html
    assert "Sign in to choose this time" not in html and "km away" not in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"days_from_today": (-20, -10)}, "Rhaid i’r dyddiad olaf fod yn y dyfodol"),
        ({"days_from_today": (60, 40)}, "Rhaid i’r dyddiad olaf fod yr un fath â’r dyddiad cyntaf neu ar ei ôl"),
        ({"days_from_today": (40, 50), "place": "Atlantis"}, "Nid oeddem yn gallu dod o hyd i’r lle hwnnw"),
        ({"days_from_today": (40, 50), "guests": "lots"}, "Rhaid i nifer y gwesteion fod yn rhif cyfan"),
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2027"}, "Rhaid rhoi dyddiad go iawn ar gyfer"),
        ({"submit": "", "date_to_0": "1"}, "Rhowch y dyddiad cyntaf"),
    ],
)
def test_search_errors_are_in_welsh(welsh, calendar, params, message):
    params = dict(params)
    if "days_from_today" in params:
        start, end = params.pop("days_from_today")
        today = timezone.localdate()
        params = _search_params(today + timedelta(days=start), today + timedelta(days=end), **params)
    html = _welsh_page(welsh, reverse("booking:search"), params, status=400)
    assert "<title>Gwall:" in html
    assert "Mae problem wedi codi" in html
    assert message in html


def test_details_page_and_its_errors_are_in_welsh(welsh, calendar, person):
    booking = _held(person)
    url = reverse("booking:party", args=[booking.reference, 1])
    html = _welsh_page(welsh, url)
    assert "Eich manylion" in html and "Person 1 o 2" in html
    assert "Rydym yn cadw’r amser hwn i chi tan" in html and "Oes angen mwy o amser arnoch?" in html
    response = welsh.post(url, {"full_name": "", "postcode": "not a postcode"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Rhowch yr enw llawn" in html and "Rhowch god post go iawn, fel LS1 3AD" in html
    assert "Rhowch y dyddiad geni" in html


def test_check_answers_page_is_in_welsh(welsh, calendar, person):
    booking = _held(person)
    add_parties(booking)
    html = _welsh_page(welsh, reverse("booking:check", args=[booking.reference]))
    assert "<title>Gwiriwch eich atebion cyn archebu" in html
    for text in ("Person 1", "Enw llawn", "Cod post cartref", "Yn byw yno ers", "Archebu dros dro", "Dyddiad ac amser"):
        assert text in html, text
    assert "Check your answers" not in html and "Book provisionally" not in html


def test_booking_in_welsh_confirms_and_emails_in_welsh(welsh, calendar, person):
    person.language = "cy"  # chosen with the switch: emails follow the stored choice, not the page
    person.save(update_fields=["language"])
    booking = _held(person)
    add_parties(booking)
    response = welsh.post(reverse("booking:confirm", args=[booking.reference]))
    assert response.url == reverse("booking:confirmation", args=[booking.reference])

    html = _welsh_page(welsh, response.url)
    assert "Seremoni wedi’i harchebu dros dro" in html and "Beth sy’n digwydd nesaf" in html

    message = OutboundMessage.objects.get(to=person.email)
    assert message.subject == "Mae eich archeb wedi’i gwneud"
    assert message.body.startswith("Mae eich seremoni wedi’i harchebu dros dro")
    assert f"Cyfeirnod {booking.reference}" in message.body
    assert "Gweld, symud neu ganslo’r archeb:" in message.body
    assert "provisionally booked" not in message.body


def test_manage_page_is_in_welsh(welsh, calendar, person):
    booking = _held(person)
    add_parties(booking)
    booking = services.confirm_hold(booking=booking, actor=person)
    html = _welsh_page(welsh, reverse("booking:manage", args=[booking.reference]))
    assert f"<title>Archeb {booking.reference}" in html
    assert "Wedi’i drefnu dros dro" in html  # the status
    assert "Rhoi hysbysiad" in html
    assert "Tystion" in html and "Ychwanegu tystion" in html
    assert "Symud i ddyddiad neu amser arall" in html and "Canslo’r archeb" in html
    assert "Giving notice" not in html and "Cancel booking" not in html


def test_your_bookings_and_cancel_pages_are_in_welsh(welsh, calendar, person):
    booking = _held(person)
    add_parties(booking)
    booking = services.confirm_hold(booking=booking, actor=person)
    html = _welsh_page(welsh, reverse("booking:mine"))
    assert "<title>Eich archebion" in html and booking.reference in html and "Statws" in html
    html = _welsh_page(welsh, reverse("booking:cancel", args=[booking.reference]))
    assert "Ydych chi’n siŵr eich bod am ganslo’r archeb hon?" in html
    assert "Ydw, ei chanslo" in html and "Nac ydw, ei chadw" in html


def test_staff_rota_and_its_errors_are_in_welsh(welsh, calendar):
    office = calendar[0]
    registrar = signed_in_registrar(welsh, office)
    html = _welsh_page(welsh, reverse("booking-staff:rota", args=[office.code]))
    assert "Rota ac absenoldebau" in html and "Shifftiau wythnosol" in html and "Dydd Llun" in html
    response = welsh.post(
        reverse("booking-staff:add-shift", args=[office.code]),
        {"shift-officer": registrar.pk, "shift-weekday": "2", "shift-starts": "9am", "shift-ends": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400 and '<html lang="cy"' in html
    assert "Rhowch yr amser dechrau ar ffurf amser, er enghraifft 09:30" in html
    assert "Rhowch yr amser gorffen" in html
    assert "Enter the" not in html
