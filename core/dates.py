"""Dates as people read them: "19 November 2026" (in Welsh, "19 Tachwedd 2026"), never
"2026-11-19" or "19/11/2026", on pages and in the messages of forms and refusals alike."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.formats import date_format


def in_words(day: date | datetime | str | None) -> str:
    """`day` in words in the active language. An ISO date string (as answers are kept) is read
    first; text that is not a date is given back as it is, and nothing as an empty string."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return day
    if isinstance(day, datetime):
        day = day.date()
    return date_format(day, "j F Y")
