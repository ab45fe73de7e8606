"""The staff dashboard: each figure's definition on constructed data (events, registrations,
room and officer utilisation, lead times, cancellations, certificate orders and their issue
time, identity check outcomes, reasons and time with a registrar), its permissions (another
office's figures never shown, a bad office or bad dates a clear 400), its query count as data
grows, the CSV of the same figures and the page in Welsh."""

from __future__ import annotations

import csv
import datetime
import io
from datetime import UTC, time

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking.models import Booking, Closure, Occupancy, OfficerAbsence, RoomPattern, RotaShift
from certificates.models import CertificateOrder
from identity import roles
from identity.models import AuditEntry, CaseDecision, IdentityCase
from performance.dashboard import staff_dashboard
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    make_entry,
    sign_in_staff,
)
from tests.factories.booking import RoomFactory, VenueFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)
SUNDAY = datetime.date(2026, 11, 8)
URL = "/staff/registrar/dashboard/"


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, time(hour, minute), tzinfo=UTC)


def the_week() -> dict:
    return {
        "date_from_0": MONDAY.day,
        "date_from_1": MONDAY.month,
        "date_from_2": MONDAY.year,
        "date_to_0": SUNDAY.day,
        "date_to_1": SUNDAY.month,
        "date_to_2": SUNDAY.year,
    }


@pytest.fixture
def office():
    return RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office")


@pytest.fixture
def cardiff():
    return RegisterOfficeFactory(code="W-CARDIFF", name="Cardiff Register Office")


@pytest.fixture
def registrar(office):
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Registrar")
    staff.offices.add(office)
    return staff


@pytest.fixture
def signed_in(client, registrar):
    sign_in_staff(client, registrar)
    return client


_references = iter(range(1, 100_000))


def booking(room, *, starts, minutes, status="confirmed", kind="ceremony", created=None, cancelled=None):
    return Booking.objects.create(
        reference=f"BK-{next(_references):06d}",
        kind=kind,
        status=status,
        person=UserFactory(),
        room=room,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        created_at=created or starts - datetime.timedelta(days=1),
        cancelled_at=cancelled,
    )


def identity_case(office, *, reasons, status="verified", submitted=None, decided_hours=None, decider=None):
    submitted = submitted or at(MONDAY, 9)
    case = IdentityCase.objects.create(
        reference=f"ID-{next(_references):06d}",
        person=UserFactory(),
        office=office,
        status=status,
        reasons=reasons,
        submitted_at=submitted,
        decided_at=submitted + datetime.timedelta(hours=decided_hours) if decided_hours else None,
    )
    if decided_hours:
        CaseDecision.objects.create(
            case=case, outcome="accept", reason="Seen", decided_by=decider, decided_at=case.decided_at
        )
    return case


def order(entry, *, status="issued", paid=None, issued_hours=None):
    paid = paid or at(MONDAY, 12)
    return CertificateOrder.objects.create(
        reference=f"CO-{next(_references):06d}",
        person=UserFactory(),
        entry=entry,
        kind="full_birth",
        status=status,
        created_at=paid - datetime.timedelta(minutes=5),
        paid_at=paid if status in ("paid", "issued") else None,
        issued_at=paid + datetime.timedelta(hours=issued_hours) if issued_hours else None,
    )


@pytest.fixture
def week(office, cardiff, registrar):
    """A week of one office's work, and some of another office's that must never show."""
    decider = StaffFactory(roles=[roles.REGISTRAR])
    for hours, automatic in ((1, True), (3, True), (30, False)):
        registration = RegistrationFactory(
            district=office, status="registered", submitted_at=at(MONDAY, 9) - datetime.timedelta(hours=hours)
        )
        make_entry(district=office, registration=registration, automatically=automatic, registered_at=at(MONDAY, 9))
    birth = make_entry(district=office, registered_at=at(MONDAY, 10))
    make_entry(district=office, event="death", registered_at=at(MONDAY + datetime.timedelta(days=8), 10))
    make_entry(district=office, event="death", registered_at=at(MONDAY + datetime.timedelta(days=2), 10))
    make_entry(district=office, historic=True, registered_at=at(MONDAY, 10))
    make_entry(district=cardiff, event="death", registered_at=at(MONDAY, 10))

    room = RoomFactory(venue=VenueFactory(office=office, name="Leeds Town Hall"), name="Ceremony Room")
    # Monday: slots 10:00-10:45 and 11:00-11:45, 90 minutes. Tuesday: closed all day.
    for weekday in (0, 1):
        RoomPattern.objects.create(
            room=room,
            kind="ceremony",
            weekday=weekday,
            opens=time(10),
            closes=time(12),
            duration_minutes=45,
            gap_minutes=15,
        )
    Closure.objects.create(
        venue=room.venue,
        starts_on=MONDAY + datetime.timedelta(days=1),
        ends_on=MONDAY + datetime.timedelta(days=1),
        reason="Repairs",
    )
    RotaShift.objects.create(officer=registrar, office=office, weekday=0, starts=time(9), ends=time(17))
    first = booking(room, starts=at(MONDAY, 10), minutes=45, created=at(MONDAY, 10) - datetime.timedelta(days=10))
    booking(
        room,
        starts=at(MONDAY, 11),
        minutes=45,
        status="provisional",
        created=at(MONDAY, 11) - datetime.timedelta(days=30),
    )
    booking(room, starts=at(MONDAY + datetime.timedelta(days=7), 10), minutes=45)  # the week after
    booking(
        room,
        starts=at(MONDAY + datetime.timedelta(days=40), 10),
        minutes=45,
        status="cancelled",
        created=at(MONDAY, 8),
        cancelled=at(MONDAY + datetime.timedelta(days=3), 8),
    )
    booking(
        room, starts=at(MONDAY + datetime.timedelta(days=50), 10), minutes=45, status="expired", created=at(MONDAY, 8)
    )
    Occupancy.objects.create(
        booking=first,
        officer=registrar,
        venue=room.venue,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        away_from=first.starts_at,
        away_until=first.ends_at,
    )
    cardiff_room = RoomFactory(venue=VenueFactory(office=cardiff))
    booking(cardiff_room, starts=at(MONDAY, 10), minutes=45, status="cancelled", cancelled=at(MONDAY, 9))

    order(birth, issued_hours=1)
    order(birth, issued_hours=3)
    order(birth, status="paid")
    order(make_entry(district=cardiff), issued_hours=100)

    identity_case(office, reasons=["document_expired"], status="with_registrar")
    identity_case(office, reasons=["document_expired", "face_mismatch"], decided_hours=24, decider=decider)
    identity_case(office, reasons=[], decided_hours=48, decider=decider)
    identity_case(cardiff, reasons=["face_mismatch"], decided_hours=50, decider=decider)
    return room


def test_each_figure_follows_its_definition(registrar, week):
    figures = staff_dashboard(user=registrar, first_day=MONDAY, last_day=SUNDAY)
    assert [office.code for office in figures.offices] == ["E-LEEDS"]
    assert not figures.by_week and figures.periods[0] == MONDAY and len(figures.periods) == 7
    # Births: three registered from registrations and one more; deaths: one inside the week.
    assert figures.events["birth"][0] == 4 and sum(figures.events["birth"]) == 4
    assert figures.events["death"] == [0, 0, 1, 0, 0, 0, 0]
    assert sum(figures.events["marriage"]) == 0
    assert figures.registered == 3 and figures.registered_automatically == 2
    assert figures.hours_to_entry.median == 3.0 and figures.hours_to_entry.high == pytest.approx(24.6)
    # 90 minutes of slots on Monday (Tuesday closed), 90 booked; a cancelled or expired one is not.
    assert [(row.label, row.booked_minutes, row.available_minutes) for row in figures.rooms] == [
        ("Ceremony Room, Leeds Town Hall", 90, 90)
    ]
    assert figures.room_utilisation.share == 1.0
    # 8 hours on the rota on Monday, 45 minutes of them at a booking.
    assert [(row.booked_minutes, row.available_minutes) for row in figures.officers] == [(45, 480)]
    assert figures.ceremony_lead_days.median == 20.0 and figures.ceremony_lead_days.high == 28.0
    # Made in the week: next week's ceremony and the one cancelled since; not the hold that expired.
    assert figures.bookings_made == {"Ceremony": 2}
    assert figures.cancellations == {"Ceremony": 1}
    assert dict(figures.orders_by_status) == {"Paid: certificates being made": 1, "Issued": 2}
    assert figures.hours_to_issue.count == 2
    assert figures.hours_to_issue.median == 2.0 and figures.hours_to_issue.high == 2.9
    assert dict(figures.identity_outcomes) == {"Verified at medium confidence": 2, "With a registrar": 1}
    reasons = dict(figures.identity_reasons)
    assert sum(reasons.values()) == 3 and 2 in reasons.values()
    assert not any(code in reasons for code in ("document_expired", "face_mismatch"))
    assert figures.hours_with_registrar.median == 36.0 and figures.hours_with_registrar.high == 45.6


def test_a_long_range_counts_week_by_week(registrar, week):
    figures = staff_dashboard(
        user=registrar, first_day=MONDAY - datetime.timedelta(days=70), last_day=SUNDAY + datetime.timedelta(days=7)
    )
    assert figures.by_week and all(period.weekday() == 0 for period in figures.periods)
    assert figures.events["death"][figures.periods.index(MONDAY)] == 1
    assert figures.events["death"][figures.periods.index(MONDAY + datetime.timedelta(days=7))] == 1


def test_the_selector_refuses_another_offices_figures_and_staff_without_the_permission(registrar, week):
    with pytest.raises(PermissionDenied):
        staff_dashboard(user=registrar, first_day=MONDAY, last_day=SUNDAY, office_code="W-CARDIFF")
    with pytest.raises(PermissionDenied):
        staff_dashboard(user=StaffFactory(roles=[roles.PHONE_SUPPORT]), first_day=MONDAY, last_day=SUNDAY)


def test_a_national_role_sees_england_and_wales(week):
    general = StaffFactory(roles=[roles.REGISTRAR_GENERAL])
    figures = staff_dashboard(user=general, first_day=MONDAY, last_day=SUNDAY)
    assert figures.national and figures.events["death"][0] == 1 and figures.events["death"][2] == 1
    assert figures.hours_with_registrar.count == 3
    cardiff_only = staff_dashboard(user=general, first_day=MONDAY, last_day=SUNDAY, office_code="W-CARDIFF")
    assert not cardiff_only.national and cardiff_only.hours_to_issue.median == 100.0


def test_the_page_shows_every_figure_in_words_with_its_chart_and_table(signed_in, week):
    response = signed_in.get(URL, the_week())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="govuk-heading-xl" id="registered-total">3</p>' in html
    assert '<p class="govuk-heading-xl" id="median-hours">3.0 h</p>' in html
    assert '<dd class="govuk-summary-list__value" id="room-utilisation">100.0%</dd>' in html
    assert '<dd class="govuk-summary-list__value" id="officer-utilisation">9.4%</dd>' in html
    for words in ("Verified at medium confidence", "Paid: certificates being made", "Ceremony Room, Leeds Town Hall"):
        assert words in html
    assert "document_expired" not in html and "face_mismatch" not in html and "with_registrar" not in html
    assert html.count('<svg class="app-chart"') == 6 and html.count("<desc id=") == 6
    assert "Cardiff" not in html
    entry = AuditEntry.objects.filter(action="registrar_dashboard.viewed").last()
    assert entry is not None and entry.actor_id is not None


def test_the_page_without_a_range_shows_the_last_28_days(signed_in):
    response = signed_in.get(URL)
    assert response.status_code == 200
    assert "22 October 2026 to 18 November 2026" in response.content.decode()


def test_the_csv_has_the_same_figures(signed_in, week):
    response = signed_in.get(reverse("staff-dashboard:csv"), the_week())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "figure", "of", "value"]
    assert ["events", "day", "2026-11-02 birth", "4"] in rows
    assert ["hours_to_issue", "median", "", "2.0"] in rows
    assert ["hours_with_registrar", "p90", "", "45.6"] in rows
    assert ["rooms", "available_minutes", "Ceremony Room, Leeds Town Hall", "90"] in rows
    assert not any("Cardiff" in cell for row in rows for cell in row)


@pytest.mark.parametrize(
    "change",
    [
        {"office": "W-CARDIFF"},
        {"office": "NO-SUCH-OFFICE"},
        {"date_to_0": "1", "date_to_1": "11", "date_to_2": "2026"},  # before the first day
        {"date_from_2": "2025", "date_from_1": "10"},  # over 366 days
        {"date_from_0": "31", "date_from_1": "2"},  # not a real date
        {"date_from_0": ""},  # incomplete
        {"date_to_0": "x", "date_to_1": "y", "date_to_2": "z"},
        {"date_from_2": "999999999999"},
    ],
)
def test_a_bad_office_or_bad_dates_are_a_400_with_the_error_summary(signed_in, week, change):
    query = {**the_week(), **change}
    response = signed_in.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html and "Cardiff Register Office" not in html
    assert signed_in.get(reverse("staff-dashboard:csv"), query).status_code == 400


def test_staff_without_casework_are_refused(client):
    phone = StaffFactory(roles=[roles.PHONE_SUPPORT])
    sign_in_staff(client, phone)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("staff-dashboard:csv")).status_code == 403


def test_the_number_of_queries_does_not_grow_with_the_data(signed_in, office, registrar, week):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(URL, the_week()).status_code == 200
        return len(captured)

    before = queries()
    room = RoomFactory(venue=VenueFactory(office=office))
    RoomPattern.objects.create(room=room, kind="notice", weekday=2, opens=time(9), closes=time(12), duration_minutes=30)
    decider = StaffFactory(roles=[roles.REGISTRAR])
    for n in range(15):
        make_entry(district=office, event=("birth", "death", "marriage")[n % 3], registered_at=at(MONDAY, 9, n))
        booking(
            room,
            starts=at(MONDAY + datetime.timedelta(days=2), 9) + datetime.timedelta(minutes=30 * n),
            minutes=30,
            kind="notice",
        )
        identity_case(office, reasons=["document_expired"], decided_hours=n + 1, decider=decider)
    assert queries() == before


def test_the_csv_and_a_national_year_take_as_many_queries_however_much_data(client, signed_in, office, cardiff, week):
    general = StaffFactory(roles=[roles.REGISTRAR_GENERAL])
    first = SUNDAY - datetime.timedelta(days=364)
    year = {**the_week(), "date_from_0": first.day, "date_from_1": first.month, "date_from_2": first.year}

    def queries() -> list[int]:
        counted = []
        for who, path, query in (
            (signed_in, reverse("staff-dashboard:csv"), the_week()),
            (national, URL, year),
            (national, URL, {**year, "office": cardiff.code}),
            (national, reverse("staff-dashboard:csv"), year),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert who.get(path, query).status_code == 200
            counted.append(len(captured))
        return counted

    national = Client()
    sign_in_staff(national, general)
    before = queries()
    assert max(before) <= 60
    for n in range(12):
        district = (office, cardiff, RegisterOfficeFactory(code=f"E-MORE-{n}"))[n % 3]
        make_entry(district=district, event=("birth", "death", "marriage")[n % 3], registered_at=at(MONDAY, 10, n))
        identity_case(district, reasons=["document_expired"], decided_hours=n + 1, decider=general)
    assert queries() == before


def test_the_page_is_in_welsh(signed_in, week):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = signed_in.get(URL, the_week()).content.decode()
    assert '<html lang="cy"' in html
    for words in (
        "Digwyddiadau a gofrestrwyd",
        "Defnydd o ystafelloedd",
        "Canolrif",
        "Lawrlwytho’r ffigurau hyn (CSV)",
    ):
        assert words in html
    errors = signed_in.get(URL, {**the_week(), "date_to_0": "1"}).content.decode()
    assert "Rhaid" in errors or "rhaid" in errors


def test_certificate_checks_are_counted_for_the_offices_documents_only(signed_in, registrar, office, cardiff):
    from certificates.models import Verification

    for outcome, district, day in (
        ("valid", office, MONDAY),
        ("valid", office, SUNDAY),
        ("tampered", office, MONDAY),
        ("valid", cardiff, MONDAY),  # another office's document
        ("unknown", None, MONDAY),  # no document of ours: no office's
        ("valid", office, SUNDAY + datetime.timedelta(days=1)),  # after the range
    ):
        Verification.objects.create(
            checked_on=day,
            how="serial",
            kind="not_found" if district is None else "certified_copy",
            outcome=outcome,
            district=district,
        )
    figures = staff_dashboard(user=registrar, first_day=MONDAY, last_day=SUNDAY)
    assert figures.verifications_by_outcome == [("Valid", 2), ("Changed since it was issued", 1)]
    assert figures.verifications_by_kind == [("Certified copy", 3)]
    page = signed_in.get(URL, the_week()).content.decode()
    assert "Certificates checked" in page and "Changed since it was issued" in page and "tampered" not in page
    rows = list(csv.reader(io.StringIO(signed_in.get(URL + "figures.csv", the_week()).content.decode())))
    assert ["certificate_checks", "by_outcome", "Valid", "2"] in rows


def test_a_national_role_also_sees_checks_that_found_no_document(office):
    from certificates.models import Verification

    Verification.objects.create(checked_on=MONDAY, how="pdf", kind="not_found", outcome="not_ours")
    Verification.objects.create(
        checked_on=MONDAY, how="serial", kind="certified_copy", outcome="valid", district=office
    )
    national = StaffFactory(roles=[roles.REGISTRAR_GENERAL])
    figures = staff_dashboard(user=national, first_day=MONDAY, last_day=SUNDAY)
    assert dict(figures.verifications_by_outcome) == {"Valid": 1, "Not signed by this service": 1}


def test_each_officer_has_their_own_utilisation_less_their_absences(registrar, office, cardiff, week):
    """Rhian: Monday 9-17 on the rota, 45 minutes at a booking. Tomos: Monday and Wednesday
    10-14, on leave on Wednesday, no bookings. Cardiff's officer is another office's."""
    colleague = StaffFactory(roles=[roles.REGISTRAR], full_name="Tomos Officer")
    colleague.offices.add(office)
    RotaShift.objects.create(officer=colleague, office=office, weekday=0, starts=time(10), ends=time(14))
    RotaShift.objects.create(officer=colleague, office=office, weekday=2, starts=time(10), ends=time(14))
    OfficerAbsence.objects.create(
        officer=colleague, kind="leave", starts_on=MONDAY + datetime.timedelta(days=2), ends_on=SUNDAY
    )
    elsewhere = StaffFactory(roles=[roles.REGISTRAR], full_name="Cardiff Officer")
    RotaShift.objects.create(officer=elsewhere, office=cardiff, weekday=0, starts=time(9), ends=time(17))

    figures = staff_dashboard(user=registrar, first_day=MONDAY, last_day=SUNDAY)
    assert [(row.label, row.booked_minutes, row.available_minutes) for row in figures.officers] == [
        ("Rhian Registrar (Leeds Register Office)", 45, 480),
        ("Tomos Officer (Leeds Register Office)", 0, 240),
    ]
    assert figures.officer_utilisation.booked_minutes == 45 and figures.officer_utilisation.available_minutes == 720

    national = staff_dashboard(user=StaffFactory(roles=[roles.REGISTRAR_GENERAL]), first_day=MONDAY, last_day=SUNDAY)
    assert [row.label for row in national.officers] == [
        "Cardiff Officer (Cardiff Register Office)",
        "Rhian Registrar (Leeds Register Office)",
        "Tomos Officer (Leeds Register Office)",
    ]


def test_a_superintendent_sees_the_officers_of_their_offices_on_the_page(client, office, cardiff, registrar, week):
    superintendent = StaffFactory(roles=[roles.SUPERINTENDENT_REGISTRAR], full_name="Sian Superintendent")
    superintendent.offices.add(office)
    elsewhere = StaffFactory(roles=[roles.REGISTRAR], full_name="Cardiff Officer")
    RotaShift.objects.create(officer=elsewhere, office=cardiff, weekday=0, starts=time(9), ends=time(17))
    sign_in_staff(client, superintendent)
    html = client.get(URL, the_week()).content.decode()
    assert "Rhian Registrar (Leeds Register Office)" in html and "Cardiff Officer" not in html
    table = html[html.index('id="officers-table"') :]
    assert '<th scope="col" class="govuk-table__header">Officer</th>' in table[:600]
    row = table[table.index("Rhian Registrar (Leeds Register Office)") :][:400]
    assert ">0.8</td>" in row and ">8.0</td>" in row and ">9.4%</td>" in row
