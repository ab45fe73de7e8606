"""The time rules: notice windows (28/70 full days, 12 months), 7 days' residence, slots in
UK local time across daylight-saving changes, bank holidays, closures, absences, provisional
release with warnings first, and reminders that re-read the booking."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from booking import rules, selectors, services, tasks
from booking.demo import ensure_patterns
from booking.models import BankHoliday, Closure, OfficerAbsence, Room
from booking.places import find_place
from identity.models import AuditEntry, OutboundMessage
from tests.factories import UserFactory, VenueFactory, add_parties, diary_staff

pytestmark = pytest.mark.django_db

NOTICE = date(2027, 3, 1)


@pytest.mark.parametrize(
    ("days_after_notice", "allowed"),
    [(27, False), (28, False), (29, True), (30, True)],
)
def test_ceremony_needs_28_full_days_after_the_later_notice(days_after_notice, allowed):
    ceremony = NOTICE + timedelta(days=days_after_notice)
    assert rules.ceremony_date_allowed(ceremony, [NOTICE - timedelta(days=5), NOTICE]) is allowed


@pytest.mark.parametrize(("days_after_notice", "allowed"), [(70, False), (71, True)])
def test_a_referred_notice_needs_70_full_days(days_after_notice, allowed):
    ceremony = NOTICE + timedelta(days=days_after_notice)
    assert rules.ceremony_date_allowed(ceremony, [NOTICE], referred=True) is allowed


def test_ceremony_within_12_months_of_the_earlier_notice():
    assert rules.ceremony_date_allowed(date(2028, 3, 1), [NOTICE, NOTICE + timedelta(days=10)])
    assert not rules.ceremony_date_allowed(date(2028, 3, 2), [NOTICE, NOTICE + timedelta(days=10)])
    # 29 February has no anniversary: the notice lasts until 28 February.
    assert rules.latest_ceremony_date(date(2028, 2, 29)) == date(2029, 2, 28)


def test_no_ceremony_without_both_notices():
    assert not rules.ceremony_date_allowed(date(2027, 6, 1), [])


@pytest.mark.parametrize(("moved_in", "first_notice"), [(date(2027, 3, 1), date(2027, 3, 9))])
def test_seven_full_days_of_residence_before_notice(moved_in, first_notice):
    assert rules.earliest_notice_date(moved_in) == first_notice


def test_notice_deadline_is_29_days_before_the_ceremony():
    assert rules.notice_deadline(date(2027, 4, 30)) == date(2027, 4, 1)
    assert rules.earliest_ceremony_date(date(2027, 4, 1)) == date(2027, 4, 30)


def _slots_on(day: date, kind: str = "ceremony"):
    return selectors.find_slots(
        selectors.SlotSearch(kind=kind, date_from=day, date_to=day, limit=100),
        now=datetime(2026, 1, 5, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 28), 10),  # Saturday before the clocks go forward: GMT
        (date(2026, 3, 30), 9),  # Monday after: BST, 10:00 local is 09:00 UTC
        (date(2026, 10, 24), 9),  # Saturday before the clocks go back: BST
        (date(2026, 10, 26), 10),  # Monday after: GMT again
    ],
)
def test_slots_are_uk_wall_clock_times_across_daylight_saving(calendar, day, utc_hour):
    slots = _slots_on(day)
    assert [slot.local_start.time() for slot in slots][:2] == [time(10), time(11)]
    assert slots[0].starts_at.astimezone(UTC).hour == utc_hour
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=45)


def test_no_slots_on_sundays_bank_holidays_or_closed_days(calendar):
    office, venue, ceremony_room, _notice_room = calendar
    assert _slots_on(date(2026, 3, 29)) == []  # a Sunday
    call_command("update_bank_holidays", stdout=io.StringIO())
    assert _slots_on(date(2026, 4, 6)) == []  # Easter Monday
    assert len(_slots_on(date(2026, 4, 7))) == 6
    Closure.objects.create(venue=venue, starts_on=date(2026, 4, 7), ends_on=date(2026, 4, 8), reason="Flood")
    assert _slots_on(date(2026, 4, 8)) == [] and len(_slots_on(date(2026, 4, 9))) == 6


def test_an_absent_officer_is_not_offered(calendar):
    office, *_ = calendar
    day = date(2026, 4, 8)
    superintendents = list(office.staff.filter(groups__name="Superintendent registrar"))
    for officer in superintendents:
        OfficerAbsence.objects.create(officer=officer, kind="sickness", starts_on=day, ends_on=day)
    assert _slots_on(day) == []
    assert len(_slots_on(day, kind="notice")) > 0  # registrars can still take notice


def test_one_officer_pair_is_not_offered_twice_at_the_same_time(calendar):
    """Two ceremony rooms share the office's officers: the second room's slot needs the other pair."""
    office, venue, ceremony_room, _notice = calendar

    second = Room.objects.create(venue=venue, name="Garden room", capacity=20)
    ensure_patterns(second, kind="ceremony", days=range(0, 6), opens=time(10), closes=time(16), duration=45, gap=15)
    day = date(2026, 4, 8)
    at_ten = [slot for slot in _slots_on(day) if slot.local_start.time() == time(10)]
    assert len(at_ten) == 2
    pairs = {(slot.superintendent_id, slot.registrar_id) for slot in at_ten}
    assert len(pairs) == 1  # proposals are independent; the write decides
    person = UserFactory()
    with time_machine.travel(datetime(2026, 1, 5, tzinfo=UTC)):
        services.hold_published_slot(person=person, room=ceremony_room, starts_at=at_ten[0].starts_at, kind="ceremony")
        services.hold_published_slot(person=UserFactory(), room=second, starts_at=at_ten[0].starts_at, kind="ceremony")
        third = Room.objects.create(venue=venue, name="Small room", capacity=10)
        ensure_patterns(third, kind="ceremony", days=range(0, 6), opens=time(10), closes=time(16), duration=45, gap=15)
        # Both officer pairs are busy at 10:00: no third ceremony is offered at that time.
        assert not [s for s in _slots_on(day) if s.local_start.time() == time(10)]


def _provisional_ceremony(calendar, *, days_ahead=60, person=None):
    first, _last = selectors.bookable_dates("ceremony")
    day = timezone.localdate() + timedelta(days=days_ahead)
    slots = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=day, date_to=day + timedelta(days=7), limit=1)
    )
    booking = services.hold_published_slot(
        person=person or UserFactory(), room=slots[0].room, starts_at=slots[0].starts_at, kind="ceremony"
    )
    add_parties(booking)
    return services.confirm_hold(booking=booking, actor=booking.person)


def test_notices_that_allow_the_date_let_the_authority_confirm_the_ceremony(calendar, stand_in_notices):
    ceremony = _provisional_ceremony(calendar, days_ahead=60)
    day = ceremony.starts_at.astimezone(selectors.UK).date()
    assert services.ceremony_notice_problem(ceremony) == "notices_missing"
    stand_in_notices(ceremony, given_on=min(timezone.localdate(), day - timedelta(days=29)))
    assert services.ceremony_notice_problem(ceremony) is None
    # Notice alone confirms nothing: the superintendent registrar's authority does.
    ceremony.refresh_from_db()
    assert ceremony.status == "provisional"
    assert services.confirm_ceremony(ceremony=ceremony)
    ceremony.refresh_from_db()
    assert ceremony.status == "confirmed"
    assert OutboundMessage.objects.filter(to=ceremony.person.email, subject="Your ceremony is confirmed").exists()


def test_a_referral_that_pushes_past_the_date_is_too_soon_after_notice(calendar, stand_in_notices):
    ceremony = _provisional_ceremony(calendar, days_ahead=45)
    stand_in_notices(ceremony, given_on=timezone.localdate(), referred=True)
    assert services.ceremony_notice_problem(ceremony) == "too_soon_after_notice"


def test_the_booking_reads_the_notices_through_its_hook(calendar, settings):
    ceremony = _provisional_ceremony(calendar)
    assert settings.BOOKING_CEREMONY_NOTICES == "registrar.marriage.selectors.ceremony_notices"
    assert services.ceremony_notices(ceremony) == services.CeremonyNotices()


def test_provisional_booking_is_warned_then_released_when_notice_is_too_late(calendar):
    ceremony = _provisional_ceremony(calendar, days_ahead=50)
    deadline = rules.notice_deadline(ceremony.starts_at.astimezone(selectors.UK).date())
    with time_machine.travel(datetime.combine(deadline - timedelta(days=14), time(12), tzinfo=selectors.UK)):
        tasks.release_lapsed_provisional_bookings.delay()
        tasks.release_lapsed_provisional_bookings.delay()  # hourly: warns once
    warnings = OutboundMessage.objects.filter(subject="Give notice soon to keep your ceremony booking")
    assert warnings.count() == 1
    with time_machine.travel(datetime.combine(deadline, time(23), tzinfo=selectors.UK)):
        assert services.release_lapsed_provisional_bookings() == 0  # the last day still counts
    with time_machine.travel(datetime.combine(deadline + timedelta(days=1), time(0, 30), tzinfo=selectors.UK)):
        assert services.release_lapsed_provisional_bookings() == 1
    ceremony.refresh_from_db()
    assert ceremony.status == "released" and not ceremony.occupancies.filter(active=True).exists()
    assert OutboundMessage.objects.filter(subject="Your provisional ceremony booking has been released").exists()


def test_a_ceremony_with_both_notices_is_never_released_by_the_sweeper(calendar, stand_in_notices):
    ceremony = _provisional_ceremony(calendar, days_ahead=45)
    stand_in_notices(ceremony, given_on=timezone.localdate(), referred=True)
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert services.release_lapsed_provisional_bookings() == 0
    ceremony.refresh_from_db()
    assert ceremony.status == "provisional"


def test_reminders_re_read_the_booking(calendar):
    ceremony = _provisional_ceremony(calendar, days_ahead=40)
    stale_start = ceremony.starts_at.isoformat()
    later = ceremony.starts_at + timedelta(hours=1)
    services.reschedule_booking(booking=ceremony, room=ceremony.room, starts_at=later, actor=ceremony.person)
    # A reminder queued for the old time sends nothing: the booking has moved.
    assert tasks.notify_booking.delay(ceremony.pk, "reminder-7", stale_start).get() is False
    assert tasks.notify_booking.delay(ceremony.pk, "reminder-7", later.isoformat()).get() is True
    assert tasks.notify_booking.delay(ceremony.pk, "reminder-7", later.isoformat()).get() is True
    assert OutboundMessage.objects.filter(subject="Reminder of your booking").count() == 1
    services.cancel_booking(booking=ceremony, actor=ceremony.person)
    assert tasks.notify_booking.delay(ceremony.pk, "reminder-1", later.isoformat()).get() is False


def test_the_reminder_sweep_queues_bookings_in_the_next_week(calendar):
    ceremony = _provisional_ceremony(calendar, days_ahead=40)
    with time_machine.travel(ceremony.starts_at - timedelta(days=6)):
        assert tasks.send_booking_reminders.delay().get() == 1
    assert OutboundMessage.objects.filter(subject="Reminder of your booking").count() == 1


def test_bank_holidays_command_loads_only_england_and_wales(tmp_path):
    call_command("update_bank_holidays", stdout=io.StringIO())
    assert BankHoliday.objects.filter(date=date(2026, 12, 28), title="Boxing Day").exists()
    assert not BankHoliday.objects.filter(date=date(2026, 11, 30)).exists()  # St Andrew's Day, Scotland
    count = BankHoliday.objects.count()
    call_command("update_bank_holidays", stdout=io.StringIO())
    assert BankHoliday.objects.count() == count
    newer = tmp_path / "bank-holidays.json"
    newer.write_text(
        json.dumps({"england-and-wales": {"events": [{"title": "Coronation", "date": "2029-05-08"}]}}), "utf-8"
    )
    call_command("update_bank_holidays", "--file", str(newer), stdout=io.StringIO())
    assert BankHoliday.objects.filter(date=date(2029, 5, 8)).exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"scotland": {}}', "utf-8")
    with pytest.raises(CommandError, match="not a GOV.UK bank holidays file"):
        call_command("update_bank_holidays", "--file", str(bad), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Could not read"):
        call_command("update_bank_holidays", "--file", str(tmp_path / "missing.json"), stdout=io.StringIO())


def test_a_search_is_placed_by_postcode_outward_code_town_or_venue_name(calendar):
    assert find_place("ls1 3ad").local_authority == "Leeds"
    assert find_place("LS1").outcode == "LS1"
    assert find_place("Leeds").local_authority == "Leeds"
    VenueFactory(name="Harewood House", latitude="53.9043", longitude="-1.5312")
    assert find_place("harewood  house").point == (53.9043, -1.5312)
    assert find_place("ZZ1 1ZZ") is None
    assert find_place("x" * 500) is None
    assert find_place("") is None


def test_moving_a_ceremony_after_notice_keeps_to_the_notice_window(calendar, stand_in_notices):
    ceremony = _provisional_ceremony(calendar, days_ahead=60)
    day = ceremony.starts_at.astimezone(selectors.UK).date()
    stand_in_notices(ceremony, given_on=day - timedelta(days=29))
    services.confirm_ceremony(ceremony=ceremony)
    ceremony.refresh_from_db()
    assert ceremony.status == "confirmed"
    too_soon = ceremony.starts_at - timedelta(days=1)
    with pytest.raises(services.BookingRefused) as refused:
        services.reschedule_booking(booking=ceremony, room=ceremony.room, starts_at=too_soon, actor=ceremony.person)
    assert refused.value.reason == "date_outside_notice_rules"
    later = ceremony.starts_at + timedelta(days=7)
    moved = services.reschedule_booking(booking=ceremony, room=ceremony.room, starts_at=later, actor=ceremony.person)
    assert moved.starts_at == later


def test_staff_can_move_a_ceremony_inside_the_public_booking_window(calendar):
    """After a closure a registrar may move a ceremony to any free day, even one a citizen
    could not book today; the person cannot."""
    ceremony = _provisional_ceremony(calendar, days_ahead=60)
    soon = ceremony.starts_at - timedelta(days=50)
    while soon.astimezone(selectors.UK).weekday() == 6:
        soon += timedelta(days=1)
    with pytest.raises(services.SlotUnavailable):
        services.reschedule_booking(booking=ceremony, room=ceremony.room, starts_at=soon, actor=ceremony.person)
    registrar = diary_staff(ceremony.room.venue.office)
    moved = services.reschedule_booking(booking=ceremony, room=ceremony.room, starts_at=soon, actor=registrar)
    assert moved.starts_at == soon

    assert AuditEntry.objects.filter(action="booking.moved", object_id=ceremony.reference).exists()


def test_every_move_is_told_even_back_to_the_first_time(calendar):
    ceremony = _provisional_ceremony(calendar, days_ahead=60)
    first = ceremony.starts_at
    services.reschedule_booking(
        booking=ceremony, room=ceremony.room, starts_at=first + timedelta(hours=1), actor=ceremony.person
    )
    services.reschedule_booking(booking=ceremony, room=ceremony.room, starts_at=first, actor=ceremony.person)
    assert OutboundMessage.objects.filter(subject="Your booking has moved").count() == 2
