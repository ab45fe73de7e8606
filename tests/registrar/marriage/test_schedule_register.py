"""On the day: the officiating registrar records the schedule and registers, one entry numbered
in the district's register and indexed under both parties; the couple are told with a link to
order the certificate. Bad input is refused with the form's words and nothing is written; a
ceremony that did not take place writes nothing and can be booked again at the same venue."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from identity.models import OutboundMessage
from registrar.models import IndexName, Proposal, RegisterEntry, RegisterEvent, Schedule
from tests.factories import RegisterOfficeFactory, StaffFactory
from tests.factories.booking import book_ceremony, ceremony_slots, make_bookable_office
from tests.factories.identity import staff_session
from tests.factories.marriage_schedules import authorised_proposal, day_form, registrar

pytestmark = pytest.mark.django_db


def _ceremony(proposal):
    return reverse("marriage-staff:ceremony", args=[proposal.reference])


def test_the_day_page_is_prefilled_from_the_booking(client):
    proposal = authorised_proposal()
    staff_session(client, registrar(proposal.district))
    page = client.get(_ceremony(proposal))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sarah Meredyth Morgan" in html and "Rhys Pritchard" in html
    officer = proposal.ceremony.superintendent
    if officer is not None and officer.full_name:
        assert officer.full_name in html
    assert "<script>" not in html


def test_registering_writes_one_entry_under_both_surnames_and_tells_the_couple(client):
    proposal = authorised_proposal()
    staff = registrar(proposal.district)
    staff_session(client, staff)
    response = client.post(_ceremony(proposal), day_form())
    assert response.status_code == 302, response.content.decode()
    entry = RegisterEntry.objects.get(district=proposal.district, event="marriage")
    assert entry.number == 1 and entry.registered_by == staff
    assert entry.particulars["witnesses"] == ["Alun Witness", "Bethan Witness"]
    assert entry.particulars["officiants"][1] == {"name": "Rhian Registrar", "role": "Registrar"}
    lines = {(line.surname, line.other_surname) for line in IndexName.objects.filter(entry=entry)}
    assert lines == {("Morgan", "Pritchard"), ("Pritchard", "Morgan")}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REGISTERED
    assert proposal.schedule.status == Schedule.Status.REGISTERED and proposal.schedule.entry == entry
    assert RegisterEvent.objects.filter(kind="registered", entry=entry).count() == 1
    told = OutboundMessage.objects.filter(key__startswith=f"marriage:{proposal.reference}:registered")
    assert told.count() == 2
    line_ids = set(IndexName.objects.filter(entry=entry).values_list("pk", flat=True))
    assert all(any(f"/certificates/order/{pk}/" in m.body for pk in line_ids) for m in told)
    shown = client.get(response["Location"])
    assert entry.entry_reference in shown.content.decode()


def test_registering_the_same_schedule_again_is_refused_and_writes_nothing_more(client):
    proposal = authorised_proposal()
    staff_session(client, registrar(proposal.district))
    client.post(_ceremony(proposal), day_form())
    again = client.post(_ceremony(proposal), day_form())
    assert again.status_code in (200, 409)
    assert RegisterEntry.objects.filter(district=proposal.district).count() == 1


def test_a_second_ceremony_in_the_district_gets_the_next_number(client):
    first = authorised_proposal()
    ceremony = book_ceremony(ceremony_slots(first.district, days_ahead=60)[3])
    second = authorised_proposal(ceremony=ceremony)
    staff_session(client, registrar(first.district))
    client.post(_ceremony(first), day_form())
    client.post(_ceremony(second), day_form())
    numbers = sorted(RegisterEntry.objects.filter(district=first.district).values_list("number", flat=True))
    assert numbers == [1, 2]


def test_a_civil_partnership_is_written_in_its_own_register():
    proposal = authorised_proposal(kind="civil_partnership")
    from django.test import Client

    client = Client()
    staff_session(client, registrar(proposal.district))
    assert client.post(_ceremony(proposal), day_form()).status_code == 302
    entry = RegisterEntry.objects.get(district=proposal.district)
    assert entry.event == "civil_partnership" and entry.number == 1
    assert entry.particulars["place_of_formation"] == "Leeds Register Office, Park Square"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"witness_2_name": ""}, "Enter the second witness's full name"),
        ({"witness_1_date_of_birth_2": str(timezone.localdate().year - 15)}, "16 or over"),
        ({"signed": None}, "Confirm that everyone signed the schedule"),
        ({"parties_confirmed": None}, "Confirm who both parties are"),
        ({"officiant_2_name": ""}, "Enter the second officiant's full name"),
        ({"ceremony_date_0": "31", "ceremony_date_1": "2"}, "must be a real date"),
        ({"ceremony_date_2": str(timezone.localdate().year + 1)}, "cannot be in the future"),
        ({"correction_1_field": "party1_surname"}, "Enter the corrected value"),
        ({"correction_1_field": "not_a_particular", "correction_1_value": "x"}, "Select a particular"),
        ({"ceremony_place": "x" * 301}, "300 characters or fewer"),
        ({"correction_1_field": "party1_date_of_birth", "correction_1_value": "11/03/1990"}, "as YYYY-MM-DD"),
        ({"correction_1_field": "party1_condition", "correction_1_value": "single"}, "Enter the corrected condition"),
    ],
)
def test_bad_input_on_the_day_is_a_clear_400_and_nothing_is_written(client, changes, message):
    proposal = authorised_proposal()
    staff_session(client, registrar(proposal.district))
    response = client.post(_ceremony(proposal), day_form(**changes))
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert 'value="Alun Witness"' in response.content.decode() or changes.get("witness_1_name") == ""
    assert not RegisterEntry.objects.exists()
    assert Schedule.objects.get(proposal=proposal).status == Schedule.Status.ISSUED


def test_a_correction_is_recorded_on_the_schedule_and_written_in_the_entry(client):
    proposal = authorised_proposal()
    staff_session(client, registrar(proposal.district))
    client.post(_ceremony(proposal), day_form(correction_1_field="party2_occupation", correction_1_value="Plumber"))
    entry = RegisterEntry.objects.get()
    assert entry.particulars["party2_occupation"] == "Plumber"
    assert Schedule.objects.get(proposal=proposal).corrections == [{"field": "party2_occupation", "value": "Plumber"}]


@pytest.mark.parametrize("who", ["other_office", "citizen", "no_permission"])
def test_only_a_registrar_of_the_office_or_a_booked_officer_can_open_the_day(client, who):
    proposal = authorised_proposal()
    if who == "other_office":
        staff_session(client, registrar(RegisterOfficeFactory()))
        expected = 404
    elif who == "citizen":
        client.force_login(proposal.notices.first().person)
        expected = 302  # to the staff sign-in
    else:
        staff = StaffFactory(roles=["Authorised person (API)"])
        staff.offices.add(proposal.district)
        staff_session(client, staff)
        expected = 403
    assert client.get(_ceremony(proposal)).status_code == expected
    assert client.post(_ceremony(proposal), day_form()).status_code == expected
    assert not RegisterEntry.objects.exists()


def test_a_booked_officer_from_another_office_may_officiate(client):
    proposal = authorised_proposal()
    officer = proposal.ceremony.registrar
    if officer is None:
        pytest.skip("the booking has no registrar")
    officer.offices.clear()
    staff_session(client, officer)
    assert client.get(_ceremony(proposal)).status_code == 200


def test_a_ceremony_that_did_not_take_place_writes_nothing_and_can_be_booked_again(client):
    proposal = authorised_proposal()
    staff_session(client, registrar(proposal.district))
    url = reverse("marriage-staff:ceremony-not-held", args=[proposal.reference])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "The couple did not come."}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_TAKEN_PLACE
    assert proposal.schedule.status == Schedule.Status.NOT_TAKEN_PLACE
    assert not RegisterEntry.objects.exists()
    assert client.post(url, {"reason": "Again"}).status_code == 409
    assert client.post(_ceremony(proposal), day_form()).status_code == 409
    rebook = reverse("marriage-staff:ceremony-rebook", args=[proposal.reference])
    assert client.post(rebook, {"booking": "BK-NOPE"}).status_code == 404
    other_office, *_rooms = make_bookable_office()
    elsewhere = book_ceremony(ceremony_slots(other_office, days_ahead=70)[0])
    refused = client.post(rebook, {"booking": elsewhere.reference})
    assert refused.status_code == 409
    assert "different venue needs fresh notice" in refused.content.decode()
    again = book_ceremony(ceremony_slots(proposal.district, days_ahead=70)[0])
    assert client.post(rebook, {"booking": again.reference}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.AUTHORISED and proposal.ceremony == again
    assert proposal.schedule.status == Schedule.Status.ISSUED
    assert client.post(_ceremony(proposal), day_form()).status_code == 302
    assert RegisterEntry.objects.count() == 1


def test_the_couples_panel_links_to_their_schedule_then_to_the_certificate(client):
    from django.template.loader import render_to_string

    proposal = authorised_proposal()
    person = proposal.notices.first().person
    panel = render_to_string("registrar/marriage/citizen/_status_schedule.html", {"proposal": proposal, "user": person})
    assert reverse("marriage:schedule", args=[proposal.reference]) in panel
    staff_session(client, registrar(proposal.district))
    client.post(_ceremony(proposal), day_form())
    panel = render_to_string("registrar/marriage/citizen/_status_schedule.html", {"proposal": proposal, "user": person})
    line = IndexName.objects.filter(entry__schedule__proposal=proposal).first()
    assert reverse("certificates:order-start", args=[line.pk]) in panel


def test_a_corrected_date_of_birth_gives_the_age_again_and_a_condition_is_typed_in_words(client):
    proposal = authorised_proposal()
    staff_session(client, registrar(proposal.district))
    form = day_form(
        correction_1_field="party1_date_of_birth",
        correction_1_value="1991-03-11",
        correction_2_field="party2_condition",
        correction_2_value="Widowed or surviving civil partner",
    )
    assert client.post(_ceremony(proposal), form).status_code == 302
    entry = RegisterEntry.objects.get()
    today = timezone.localdate()
    assert entry.particulars["party1_date_of_birth"] == "1991-03-11"
    assert entry.particulars["party1_age"] == str(today.year - 1991 - (1 if (today.month, today.day) < (3, 11) else 0))
    assert entry.particulars["party2_condition"] == "widowed"
