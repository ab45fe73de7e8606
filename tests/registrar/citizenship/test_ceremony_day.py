"""On the day: the registrar's ceremony page lists who booked; for each, the oath or affirmation
(English or Welsh), the pledge and the certificate handed over write an entry in the citizenship
register (never in the public index), audited, published and told to the Home Office through
the adapter (retried while it is down); "did not attend" is told too, and so is an invitation
whose last day passed with nothing booked."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from identity.models import AuditEntry
from registrar.citizenship import home_office, services
from registrar.models import CeremonyAttendance, CitizenshipInvitation, IndexName, RegisterEntry, RegisterEvent
from registrar.statistics import year_figures
from tests.contract_server import ContractServer, Reply
from tests.factories.citizenship import make_ceremony, make_invitation, registrar_for
from tests.factories.identity import RegisterOfficeFactory, api_client, staff_session
from tests.registrar.marriage.home_office_server import KEY, PREFIX

pytestmark = pytest.mark.django_db

ATTENDED = {
    "outcome": "attended",
    "pledge_form": "affirmation",
    "language": "cy",
    "made_pledge": "on",
    "certificate_number": "Z1234567",
}


@pytest.fixture
def day(settings):
    """A ceremony that started an hour ago, two people booked."""
    settings.CITIZENSHIP_HOME_OFFICE_ADAPTER = "registrar.citizenship.home_office.SandboxCitizenshipHomeOffice"
    office = RegisterOfficeFactory()
    ceremony = make_ceremony(office=office, welsh=True)
    one, two = make_invitation(surname="Okafor"), make_invitation(surname="Nowak", forenames="Piotr")
    seats = [
        services.book(person=each.person, invitation=each, ceremony=ceremony, guests=1, welsh_oath=False)
        for each in (one, two)
    ]
    ceremony.booking.starts_at = timezone.now() - datetime.timedelta(hours=1)
    ceremony.booking.save(update_fields=["starts_at"])
    return {"office": office, "ceremony": ceremony, "invitations": (one, two), "seats": seats}


def _record_url(day, index=0):
    return reverse("citizenship-staff:record", args=[day["ceremony"].booking.reference, day["seats"][index].reference])


def test_the_ceremony_page_lists_the_attendees_in_words(client, day):
    staff_session(client, registrar_for(day["office"]))
    page = client.get(reverse("citizenship-staff:ceremony", args=[day["ceremony"].booking.reference]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Amara Okafor" in text and "Piotr Nowak" in text and "2 April 1988" in text
    assert "Naturalisation" in text  # in words, never the stored code


def test_oath_pledge_and_certificate_write_a_citizenship_entry_and_report_it(
    client, day, django_capture_on_commit_callbacks
):
    registrar = registrar_for(day["office"])
    staff_session(client, registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_record_url(day), {f"{day['seats'][0].reference}-{k}": v for k, v in ATTENDED.items()})
    assert response.status_code == 302
    attendance = CeremonyAttendance.objects.get(invitation=day["invitations"][0])
    entry = attendance.entry
    assert entry.event == "citizenship" and entry.entry_reference.split("/")[1] == "Z"
    assert entry.surname == "Okafor" and entry.particulars["certificate_number"] == "Z1234567"
    assert entry.particulars["pledge_form"] == "affirmation" and entry.particulars["language"] == "cy"
    assert not IndexName.objects.filter(entry=entry).exists()
    assert entry.registered_by == registrar
    assert AuditEntry.objects.filter(action="citizenship.attendance_recorded", actor=registrar).exists()
    assert RegisterEvent.objects.filter(entry=entry, kind="registered").exists()
    attendance.refresh_from_db()
    assert attendance.status == "reported" and attendance.home_office_receipt.startswith("HOC-")
    day["invitations"][0].refresh_from_db()
    assert day["invitations"][0].status == "attended"
    assert year_figures(timezone.localdate().year).totals["citizenship_ceremonies"] == 1
    page = client.get(reverse("citizenship-staff:ceremony", args=[day["ceremony"].booking.reference]))
    assert entry.entry_reference in page.content.decode() and "Told to the Home Office" in page.content.decode()


def test_the_same_attendee_cannot_be_recorded_twice(day):
    registrar = registrar_for(day["office"])
    kwargs = {"actor": registrar, "ceremony": day["ceremony"].booking, "seat_reference": day["seats"][0].reference}
    services.record_attendance(**kwargs, attended=False)
    with pytest.raises(services.CitizenshipRefused) as refused:
        services.record_attendance(**kwargs, attended=False)
    assert refused.value.code == "citizenship_already_recorded"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"made_pledge": ""}, "The person must make the pledge to become a citizen"),
        ({"pledge_form": ""}, "Select the oath or the affirmation"),
        ({"language": "fr"}, "Select English or Welsh"),
        ({"certificate_number": ""}, "Enter the number of the certificate handed over"),
        ({"certificate_number": "<b>"}, "letters, numbers and hyphens"),
        ({"outcome": ""}, "Select what happened"),
    ],
)
def test_an_incomplete_record_is_400_on_the_page_and_in_the_api_and_writes_nothing(client, day, change, message):
    registrar = registrar_for(day["office"])
    staff_session(client, registrar)
    prefix = day["seats"][0].reference
    data = {**ATTENDED, **change}
    page = client.post(_record_url(day), {f"{prefix}-{k}": v for k, v in data.items() if v})
    assert page.status_code == 400 and message in page.content.decode()
    body = {k: v for k, v in data.items() if v}
    body["made_pledge"] = bool(body.get("made_pledge"))
    api = api_client(registrar).post(
        f"/api/v1/citizenship/ceremonies/{day['ceremony'].booking.reference}/attendance/{prefix}", body, format="json"
    )
    assert api.status_code == 400
    assert any(message in text for texts in api.json()["error"]["fields"].values() for text in texts)
    assert not RegisterEntry.objects.exists() and not CeremonyAttendance.objects.exists()


def test_did_not_attend_is_recorded_without_an_entry_and_told(day, django_capture_on_commit_callbacks):
    registrar = registrar_for(day["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(registrar).post(
            f"/api/v1/citizenship/ceremonies/{day['ceremony'].booking.reference}/attendance/{day['seats'][1].reference}",
            {"outcome": "not_attended"},
            format="json",
        )
    assert response.status_code == 201 and response.json()["entry"] is None
    attendance = CeremonyAttendance.objects.get(invitation=day["invitations"][1])
    assert attendance.status == "reported" and attendance.entry is None
    assert not RegisterEntry.objects.exists()


def test_nothing_is_recorded_before_the_ceremony_starts(client):
    office = RegisterOfficeFactory()
    ceremony = make_ceremony(office=office)
    invitation = make_invitation()
    seat = services.book(person=invitation.person, invitation=invitation, ceremony=ceremony, guests=0, welsh_oath=False)
    response = api_client(registrar_for(office)).post(
        f"/api/v1/citizenship/ceremonies/{ceremony.booking.reference}/attendance/{seat.reference}",
        {"outcome": "not_attended"},
        format="json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "citizenship_before_ceremony"


def test_a_registrar_of_another_office_cannot_record(client, day):
    other = registrar_for(RegisterOfficeFactory())
    staff_session(client, other)
    assert (
        client.get(reverse("citizenship-staff:ceremony", args=[day["ceremony"].booking.reference])).status_code == 404
    )
    api = api_client(other).post(
        f"/api/v1/citizenship/ceremonies/{day['ceremony'].booking.reference}/attendance/{day['seats'][0].reference}",
        {"outcome": "not_attended"},
        format="json",
    )
    assert api.status_code == 404


def test_people_without_the_permission_are_refused(client, day):
    from identity import roles
    from tests.factories.identity import StaffFactory, UserFactory

    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.add(day["office"])
    staff_session(client, support)
    assert client.get(reverse("citizenship-staff:index")).status_code == 403
    url = f"/api/v1/citizenship/ceremonies/{day['ceremony'].booking.reference}/attendance/{day['seats'][0].reference}"
    assert api_client(support).post(url, {"outcome": "not_attended"}, format="json").status_code == 403
    assert api_client(UserFactory()).post(url, {"outcome": "not_attended"}, format="json").status_code == 403
    assert api_client().post(url, {"outcome": "not_attended"}, format="json").status_code == 401


def test_a_seat_not_at_this_ceremony_is_404(day):
    response = api_client(registrar_for(day["office"])).post(
        f"/api/v1/citizenship/ceremonies/{day['ceremony'].booking.reference}/attendance/CS-NOPE",
        {"outcome": "not_attended"},
        format="json",
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "citizenship_not_booked_here"


def test_while_the_home_office_is_down_the_report_is_retried_then_sent(day, settings):
    settings.CITIZENSHIP_REPORT_MAX_ATTEMPTS = 3
    CitizenshipInvitation.objects.filter(pk=day["invitations"][0].pk).update(surname="Homeofficedown")
    attendance = services.record_attendance(
        actor=registrar_for(day["office"]),
        ceremony=day["ceremony"].booking,
        seat_reference=day["seats"][0].reference,
        attended=False,
    )
    with pytest.raises(services.ReportFailed) as failed:
        services.report(attendance_id=attendance.pk)
    assert failed.value.retry_in == settings.CITIZENSHIP_REPORT_BACKOFF_SECONDS
    attendance.refresh_from_db()
    assert attendance.status == "to_report" and attendance.report_error == "provider_unreachable"
    # Due again later: the sweeper finds it; the Home Office is back.
    CeremonyAttendance.objects.filter(pk=attendance.pk).update(report_next_attempt_at=timezone.now())
    assert attendance.pk in services.due_report_ids()
    CitizenshipInvitation.objects.filter(pk=day["invitations"][0].pk).update(surname="Okafor")
    assert services.report(attendance_id=attendance.pk).status == "reported"
    # Told once: a second run sends nothing.
    assert services.report(attendance_id=attendance.pk) is None


def test_after_the_last_attempt_the_report_is_failed_for_staff_to_see(day, settings):
    settings.CITIZENSHIP_REPORT_MAX_ATTEMPTS = 1
    CitizenshipInvitation.objects.filter(pk=day["invitations"][0].pk).update(surname="Homeofficedown")
    attendance = services.record_attendance(
        actor=registrar_for(day["office"]),
        ceremony=day["ceremony"].booking,
        seat_reference=day["seats"][0].reference,
        attended=False,
    )
    assert services.report(attendance_id=attendance.pk).status == "failed"


def test_an_invitation_whose_last_day_passed_with_nothing_booked_is_told_as_not_attended(settings):
    settings.CITIZENSHIP_HOME_OFFICE_ADAPTER = "registrar.citizenship.home_office.SandboxCitizenshipHomeOffice"
    lapsed = make_invitation(invited_on=timezone.localdate() - datetime.timedelta(days=100))
    current = make_invitation()
    private = make_invitation(invited_on=timezone.localdate() - datetime.timedelta(days=100), private="requested")
    assert services.record_lapsed() == 1
    lapsed.refresh_from_db()
    assert lapsed.status == "not_attended" and lapsed.attendance.outcome == "not_attended"
    assert CitizenshipInvitation.objects.get(pk=current.pk).status == "matched"
    assert CitizenshipInvitation.objects.get(pk=private.pk).status == "matched"
    assert services.record_lapsed() == 0


# --- The HTTP adapter, against the contract --------------------------------------------------------------


@pytest.fixture
def server(settings):
    routes = {
        re.escape(home_office.PATH): (
            "attendance-request",
            "attendance-response",
            lambda body: {"reference": "HOC-1"},
        )
    }
    stand_in = ContractServer(routes, validator=home_office.validator, key=KEY, prefix=PREFIX)
    settings.HOME_OFFICE_URL = stand_in.url
    settings.HOME_OFFICE_KEY = KEY
    yield stand_in
    stand_in.close()
    assert stand_in.violations == []


def test_the_http_adapter_sends_the_attendance_without_the_persons_names(server):
    report = home_office.AttendanceReport(
        home_office_reference="HO-2026-0001",
        outcome="attended",
        surname="Okafor",
        ceremony_date=datetime.date(2026, 12, 3),
        district="E-LEEDS",
        pledge_form="oath",
        language="en",
        certificate_number="Z1234567",
    )
    receipt = home_office.HttpCitizenshipHomeOffice().report_attendance(report)
    assert receipt.delivered and receipt.reference == "HOC-1"
    (sent,) = server.received
    assert sent["body"]["certificate_number"] == "Z1234567" and "Okafor" not in str(sent)


def test_the_http_adapter_never_raises_for_the_home_offices_failure(server):
    server.reply(Reply(status=503, body={"error": "down"}, honest=False))
    receipt = home_office.HttpCitizenshipHomeOffice().report_attendance(
        home_office.AttendanceReport(home_office_reference="HO-1", outcome="not_attended", surname="X")
    )
    assert (receipt.delivered, receipt.reason) == (False, "provider_error")
