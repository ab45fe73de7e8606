"""The new citizen's seat: group ceremonies before attend_by listed in words, guests up to the
ceremony's limit, the Welsh oath where offered, check and book; a full ceremony refused with the
same words on the page and in the API; moving and cancelling; a private ceremony asked for
instead; bad input everywhere a clear 4xx that saves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import CitizenshipCeremony, CitizenshipSeat
from registrar.citizenship import services
from registrar.models import CitizenshipInvitation
from tests.factories.citizenship import make_ceremony, make_invitation
from tests.factories.identity import RegisterOfficeFactory, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation():
    return make_invitation()


def _signed_in(client, invitation):
    client.force_login(invitation.person)
    return client


def _book_by_pages(client, invitation, ceremony, *, guests="1", welsh=None):
    data = {"guests": guests}
    if welsh is not None:
        data["welsh_oath"] = welsh
    chosen = client.post(
        reverse("citizenship:choose", args=[invitation.reference]), {"ceremony": ceremony.booking.reference}
    )
    assert chosen.status_code == 302
    details = client.post(chosen.url, data)
    assert details.status_code == 302, details.content.decode()
    return client.post(reverse("citizenship:check", args=[invitation.reference]))


def test_the_ceremonies_before_attend_by_are_listed_in_words(client, invitation):
    soon = make_ceremony(days_ahead=10, seats=12, venue_name="Leeds Civic Hall", welsh=True)
    too_late = make_ceremony(
        starts_at=timezone.make_aware(datetime.datetime.combine(invitation.attend_by, datetime.time(11)))
        + datetime.timedelta(days=1)
    )
    full = make_ceremony(days_ahead=12, seats=1)
    CitizenshipCeremony.objects.filter(pk=full.pk).update(seats_taken=1)
    page = _signed_in(client, invitation).get(reverse("citizenship:choose", args=[invitation.reference]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Leeds Civic Hall" in text and "12 seats left" in text and "up to 2 guests each" in text
    assert "can be taken in Welsh" in text
    assert soon.booking.reference in text
    assert too_late.booking.reference not in text and full.booking.reference not in text
    assert timezone.localtime(soon.booking.starts_at).strftime("%-d %B %Y") in text


def test_a_seat_is_booked_by_the_pages_with_guests_and_the_welsh_oath(client, invitation):
    ceremony = make_ceremony(welsh=True)
    response = _book_by_pages(_signed_in(client, invitation), invitation, ceremony, guests="2", welsh="yes")
    assert response.status_code == 302
    seat = CitizenshipSeat.objects.get(invitation_reference=invitation.reference)
    assert seat.guests == 2 and seat.welsh_oath and seat.person == invitation.person
    ceremony.refresh_from_db()
    assert ceremony.seats_taken == 1 and ceremony.guests_taken == 2
    page = client.get(reverse("citizenship:invitation", args=[invitation.reference]))
    assert seat.reference in page.content.decode()


def test_more_guests_than_the_ceremony_allows_is_refused_and_nothing_booked(client, invitation):
    ceremony = make_ceremony(guests_per_attendee=1)
    _signed_in(client, invitation)
    url = reverse("citizenship:seat", args=[invitation.reference, ceremony.booking.reference])
    for bad, words in (("2", "up to 1 guests"), ("-1", "or 0"), ("two", "whole number"), ("", "or 0")):
        response = client.post(url, {"guests": bad})
        assert response.status_code == 400 and words in response.content.decode(), bad
    api = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/seat",
        {"ceremony": ceremony.booking.reference, "guests": 2},
        format="json",
    )
    assert api.status_code == 400 and api.json()["error"]["code"] == "citizenship_too_many_guests"
    assert not CitizenshipSeat.objects.exists()


def test_the_welsh_oath_is_not_asked_where_it_is_not_offered(client, invitation):
    ceremony = make_ceremony(welsh=False)
    page = _signed_in(client, invitation).get(
        reverse("citizenship:seat", args=[invitation.reference, ceremony.booking.reference])
    )
    assert "in Welsh" not in page.content.decode()
    api = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/seat",
        {"ceremony": ceremony.booking.reference, "guests": 0, "welsh_oath": True},
        format="json",
    )
    assert api.status_code == 400 and api.json()["error"]["code"] == "citizenship_no_welsh"


def test_a_full_ceremony_is_refused_with_the_same_words_on_the_page_and_in_the_api(client, invitation):
    ceremony = make_ceremony(seats=1)
    _signed_in(client, invitation)
    client.post(reverse("citizenship:choose", args=[invitation.reference]), {"ceremony": ceremony.booking.reference})
    client.post(reverse("citizenship:seat", args=[invitation.reference, ceremony.booking.reference]), {"guests": "0"})
    # Someone else takes the last seat between choosing and booking.
    CitizenshipCeremony.objects.filter(pk=ceremony.pk).update(seats_taken=1)
    page = client.post(reverse("citizenship:check", args=[invitation.reference]))
    api = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/seat",
        {"ceremony": ceremony.booking.reference, "guests": 0},
        format="json",
    )
    assert page.status_code == api.status_code == 409
    assert api.json()["error"]["code"] == "citizenship_full"
    assert api.json()["error"]["message"] in page.content.decode()
    assert not CitizenshipSeat.objects.exists()


def test_after_attend_by_nothing_can_be_booked(client):
    invitation = make_invitation(invited_on=timezone.localdate() - datetime.timedelta(days=120))
    ceremony = make_ceremony()
    _signed_in(client, invitation)
    page = client.get(reverse("citizenship:choose", args=[invitation.reference]))
    api = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/seat",
        {"ceremony": ceremony.booking.reference, "guests": 0},
        format="json",
    )
    assert page.status_code == api.status_code == 409
    assert api.json()["error"]["code"] == "citizenship_past_attend_by"
    assert api.json()["error"]["message"] in page.content.decode()


def test_a_ceremony_after_attend_by_is_refused_by_booking_itself(invitation):
    late = make_ceremony(
        starts_at=timezone.make_aware(datetime.datetime.combine(invitation.attend_by, datetime.time(11)))
        + datetime.timedelta(days=2)
    )
    with pytest.raises(Exception) as refused:
        services.book(person=invitation.person, invitation=invitation, ceremony=late, guests=0, welsh_oath=False)
    assert refused.value.code == "citizenship_after_invitation"


def test_a_seat_is_moved_and_the_old_one_given_back(client, invitation):
    first, second = make_ceremony(days_ahead=7), make_ceremony(days_ahead=21)
    _signed_in(client, invitation)
    _book_by_pages(client, invitation, first)
    page = client.get(reverse("citizenship:choose", args=[invitation.reference]))
    assert "Choose another ceremony" in page.content.decode()
    assert first.booking.reference not in page.content.decode()
    assert _book_by_pages(client, invitation, second, guests="0").status_code == 302
    live = CitizenshipSeat.objects.get(invitation_reference=invitation.reference, status="booked")
    assert live.ceremony == second and live.guests == 0
    first.refresh_from_db()
    assert first.seats_taken == 0 and first.guests_taken == 0


def test_a_seat_is_cancelled_by_page_and_api(client, invitation):
    ceremony = make_ceremony()
    _signed_in(client, invitation)
    _book_by_pages(client, invitation, ceremony)
    assert client.get(reverse("citizenship:cancel", args=[invitation.reference])).status_code == 200
    assert client.post(reverse("citizenship:cancel", args=[invitation.reference])).status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.seats_taken == 0
    api = api_client(invitation.person).delete(f"/api/v1/citizenship/invitations/{invitation.reference}/seat")
    assert api.status_code == 409 and api.json()["error"]["code"] == "citizenship_no_seat"
    assert client.get(reverse("citizenship:cancel", args=[invitation.reference])).status_code == 409


def test_the_api_journey_lists_books_and_cancels(invitation):
    ceremony = make_ceremony(welsh=True)
    api = api_client(invitation.person)
    base = f"/api/v1/citizenship/invitations/{invitation.reference}"
    listed = api.get(base + "/ceremonies")
    assert listed.status_code == 200 and listed.json()[0]["reference"] == ceremony.booking.reference
    booked = api.post(
        base + "/seat", {"ceremony": ceremony.booking.reference, "guests": 1, "welsh_oath": True}, format="json"
    )
    assert booked.status_code == 201 and booked.json()["welsh_oath"] is True
    assert api.get(base).json()["seat"]["reference"] == booked.json()["reference"]
    assert api.delete(base + "/seat").status_code == 200
    assert api.get(base).json()["seat"] is None


@pytest.mark.parametrize(
    "body",
    [{}, {"ceremony": "", "guests": 0}, {"ceremony": "BK-X", "guests": "lots"}, {"ceremony": ["x"], "guests": 0}],
)
def test_bad_seat_requests_are_400(invitation, body):
    response = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/seat", body, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_an_unknown_ceremony_is_404_on_page_and_api(client, invitation):
    _signed_in(client, invitation)
    assert client.get(reverse("citizenship:seat", args=[invitation.reference, "BK-NOPE"])).status_code == 404
    api = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/seat",
        {"ceremony": "BK-NOPE", "guests": 0},
        format="json",
    )
    assert api.status_code == 404 and api.json()["error"]["code"] == "citizenship_no_ceremony"
    assert (
        client.post(reverse("citizenship:choose", args=[invitation.reference]), {"ceremony": "BK-NOPE"}).status_code
        == 400
    )


def test_someone_elses_invitation_is_404(client, invitation):
    other = make_invitation()
    client.force_login(other.person)
    assert client.get(reverse("citizenship:invitation", args=[invitation.reference])).status_code == 404
    assert api_client(other.person).get(f"/api/v1/citizenship/invitations/{invitation.reference}").status_code == 404


def test_staff_are_kept_out_of_the_citizens_api(invitation):
    from tests.factories.identity import StaffFactory

    response = api_client(StaffFactory()).get(f"/api/v1/citizenship/invitations/{invitation.reference}")
    assert response.status_code == 403


def test_a_private_ceremony_is_asked_for_with_the_fee_from_settings(client, invitation, settings):
    settings.CITIZENSHIP_PRIVATE_FEE_PENCE = 17550
    _signed_in(client, invitation)
    page = client.get(reverse("citizenship:private", args=[invitation.reference]))
    assert "£175.50" in page.content.decode() and "in Welsh" not in page.content.decode()
    bad = client.post(reverse("citizenship:private", args=[invitation.reference]), {"pledge_form": "promise"})
    assert bad.status_code == 400 and "Select the oath or the affirmation" in bad.content.decode()
    private_url = reverse("citizenship:private", args=[invitation.reference])
    assert client.post(private_url, {"pledge_form": "affirmation"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.private == "requested" and invitation.private_pledge == "affirmation"
    assert invitation.private_fee_pence == 17550
    again = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/private", {"pledge_form": "oath"}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "citizenship_private_requested"
    # A private ceremony instead: no group seat now.
    assert client.get(reverse("citizenship:choose", args=[invitation.reference])).status_code == 409


def test_the_welsh_oath_at_a_private_ceremony_only_in_wales(invitation):
    api = api_client(invitation.person)
    url = f"/api/v1/citizenship/invitations/{invitation.reference}/private"
    refused = api.post(url, {"pledge_form": "oath", "welsh": True}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "citizenship_private_no_welsh"
    wales = make_invitation(office=RegisterOfficeFactory(region="Wales"))
    asked = api_client(wales.person).post(
        f"/api/v1/citizenship/invitations/{wales.reference}/private",
        {"pledge_form": "oath", "welsh": True},
        format="json",
    )
    assert asked.status_code == 200 and asked.json()["private"] == "requested"
    assert CitizenshipInvitation.objects.get(pk=wales.pk).private_welsh


def test_a_private_ceremony_is_not_asked_for_while_a_seat_is_booked(invitation):
    ceremony = make_ceremony()
    services.book(person=invitation.person, invitation=invitation, ceremony=ceremony, guests=0, welsh_oath=False)
    response = api_client(invitation.person).post(
        f"/api/v1/citizenship/invitations/{invitation.reference}/private", {"pledge_form": "oath"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "citizenship_private_has_seat"
