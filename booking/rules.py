"""The marriage and civil partnership time rules of REGISTRATION-RULES.md as plain date
arithmetic, each limit read from settings. "Full days" exclude the day of the event itself."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on `day` (a 29 February birthday comes on 28 February)."""
    years = day.year - date_of_birth.year
    return years if add_months(date_of_birth, 12 * years) <= day else years - 1


def old_enough_to_marry(date_of_birth: date, ceremony_date: date) -> bool:
    """18 or over on the day of the ceremony (MINIMUM_AGE_TO_MARRY): 18 on the day itself is enough."""
    return add_months(date_of_birth, 12 * settings.MINIMUM_AGE_TO_MARRY) <= ceremony_date


def earliest_notice_date(lived_there_since: date) -> date:
    """Notice needs 7 full days of residence: moved in on the 1st, notice from the 9th."""
    return lived_there_since + timedelta(days=settings.NOTICE_RESIDENCE_DAYS + 1)


def wait_days(*, referred: bool) -> int:
    return settings.NOTICE_REFERRED_WAIT_DAYS if referred else settings.NOTICE_WAIT_DAYS


def earliest_ceremony_date(later_notice: date, *, referred: bool = False) -> date:
    """28 full days after the later notice (70 when referred): notice on the 1st, ceremony from
    the 30th."""
    return later_notice + timedelta(days=wait_days(referred=referred) + 1)


def latest_ceremony_date(earlier_notice: date) -> date:
    """Notice is good for 12 months."""
    return add_months(earlier_notice, settings.NOTICE_VALID_MONTHS)


def notice_deadline(ceremony_date: date, *, referred: bool = False) -> date:
    """The last day notice can be given for a ceremony on `ceremony_date`."""
    return ceremony_date - timedelta(days=wait_days(referred=referred) + 1)


def ceremony_date_allowed(ceremony_date: date, notice_dates: list[date], *, referred: bool = False) -> bool:
    """Both notices given, the ceremony far enough after the later and within 12 months of the
    earlier one."""
    if not notice_dates:
        return False
    return (
        earliest_ceremony_date(max(notice_dates), referred=referred)
        <= ceremony_date
        <= latest_ceremony_date(min(notice_dates))
    )


def earliest_provisional_ceremony_date(today: date) -> date:
    """A ceremony booked before notice must leave time to give notice from tomorrow."""
    return earliest_ceremony_date(today + timedelta(days=settings.BOOKING_NOTICE_MINIMUM_DAYS))
