"""Dates in words for people: a date or an ISO date string as "19 November 2026", in Welsh as
"19 Tachwedd 2026"; text that is not a date is left as it is."""

from __future__ import annotations

from datetime import date, datetime

from django.template import Context, Template
from django.utils import translation

from core.dates import in_words


def test_a_date_is_written_in_words():
    assert in_words(date(2028, 6, 1)) == "1 June 2028"
    assert in_words(datetime(2026, 11, 19, 14, 5)) == "19 November 2026"


def test_an_iso_date_string_is_written_in_words():
    assert in_words("2026-11-19") == "19 November 2026"


def test_text_that_is_not_a_date_is_kept_and_nothing_is_empty():
    assert in_words("about 1950") == "about 1950"
    assert in_words("2026-02-31") == "2026-02-31"
    assert in_words(None) == in_words("") == ""


def test_welsh_dates_use_welsh_months():
    with translation.override("cy"):
        assert in_words(date(2026, 11, 19)) == "19 Tachwedd 2026"


def test_templates_have_the_filter_without_loading_it():
    rendered = Template("{{ day|in_words }}").render(Context({"day": "1938-07-21"}))
    assert rendered == "21 July 1938"
