"""The legal rules of registration as plain functions: deadlines and their edge days, late
bands, and who may register a birth or a death (shared/REGISTRATION-RULES.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from registrar import rules
from registrar.refusals import CASE_REASONS, CaseRefused, case_reason_label

BORN = date(2026, 1, 10)


def test_birth_deadline_is_day_42():
    assert rules.birth_deadline(BORN) == date(2026, 2, 21)
    assert rules.birth_deadline(BORN) - BORN == timedelta(days=42)


@pytest.mark.parametrize(
    ("days_after", "band"),
    [
        (0, rules.IN_TIME),
        (42, rules.IN_TIME),  # day 42 is the last day in time
        (43, rules.LATE),  # day 43 is late
    ],
)
def test_birth_day_42_is_in_time_and_day_43_is_late(days_after, band):
    today = BORN + timedelta(days=days_after)
    assert rules.lateness(event="birth", event_date=BORN, deadline=rules.birth_deadline(BORN), today=today) == band


@pytest.mark.parametrize(
    ("today", "band"),
    [
        (date(2026, 4, 10), rules.LATE),  # exactly 3 months: still late with a reason
        (date(2026, 4, 11), rules.SPECIAL_PROCEDURE),  # the day after 3 months
        (date(2027, 1, 10), rules.SPECIAL_PROCEDURE),  # exactly 12 months
        (date(2027, 1, 11), rules.NEEDS_AUTHORITY),  # over 12 months
    ],
)
def test_birth_late_bands_at_3_and_12_months(today, band):
    assert rules.lateness(event="birth", event_date=BORN, deadline=rules.birth_deadline(BORN), today=today) == band


def test_three_months_from_the_31st_ends_on_the_last_day_of_a_short_month():
    assert rules.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert rules.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert rules.add_months(date(2026, 10, 31), 3) == date(2027, 1, 31)


def test_death_deadline_is_5_days_from_the_mccd():
    received = date(2026, 3, 2)
    assert rules.death_deadline(received_on=received, extension_notified=False) == date(2026, 3, 7)


def test_written_notice_extends_the_death_deadline_by_9_days():
    received = date(2026, 3, 2)
    assert rules.death_deadline(received_on=received, extension_notified=True) == date(2026, 3, 16)


@pytest.mark.parametrize(("days_after", "band"), [(5, rules.IN_TIME), (6, rules.LATE)])
def test_death_day_5_is_in_time_and_day_6_late(days_after, band):
    received = date(2026, 3, 2)
    deadline = rules.death_deadline(received_on=received, extension_notified=False)
    today = received + timedelta(days=days_after)
    assert rules.lateness(event="death", event_date=date(2026, 3, 1), deadline=deadline, today=today) == band


@pytest.mark.parametrize(("days_after", "band"), [(14, rules.IN_TIME), (15, rules.LATE)])
def test_extended_death_deadline_day_14_in_time_day_15_late(days_after, band):
    received = date(2026, 3, 2)
    deadline = rules.death_deadline(received_on=received, extension_notified=True)
    today = received + timedelta(days=days_after)
    assert rules.lateness(event="death", event_date=date(2026, 3, 1), deadline=deadline, today=today) == band


def test_a_late_death_has_no_special_procedure_band_only_12_months():
    died = date(2026, 1, 10)
    deadline = date(2026, 1, 15)
    assert rules.lateness(event="death", event_date=died, deadline=deadline, today=date(2026, 6, 1)) == rules.LATE
    assert (
        rules.lateness(event="death", event_date=died, deadline=deadline, today=date(2027, 1, 11))
        == rules.NEEDS_AUTHORITY
    )


@pytest.mark.parametrize("qualification", ["mother", "parent_married", "parent_unmarried"])
def test_parents_qualify_to_register_a_birth(qualification):
    rules.check_birth_informant(qualification=qualification, parents_unable=False)


@pytest.mark.parametrize("qualification", ["occupier", "present_at_birth", "responsible_for_child"])
def test_other_birth_informants_only_when_the_parents_cannot(qualification):
    with pytest.raises(rules.NotQualified) as refused:
        rules.check_birth_informant(qualification=qualification, parents_unable=False)
    assert refused.value.reason == "parents_can_register"
    rules.check_birth_informant(qualification=qualification, parents_unable=True)


def test_an_unknown_birth_qualification_is_refused():
    with pytest.raises(rules.NotQualified):
        rules.check_birth_informant(qualification="neighbour", parents_unable=True)


def test_married_parents_register_alone_and_name_the_father():
    assert not rules.second_parent_must_confirm(qualification="mother", parents_married=True, register_jointly=False)
    assert rules.may_name_second_parent(qualification="mother", parents_married=True, register_jointly=False)
    assert not rules.second_parent_must_confirm(
        qualification="parent_married", parents_married=True, register_jointly=False
    )


def test_an_unmarried_mother_alone_cannot_name_the_father():
    assert not rules.may_name_second_parent(qualification="mother", parents_married=False, register_jointly=False)


def test_an_unmarried_mother_naming_the_father_needs_him_to_confirm():
    assert rules.second_parent_must_confirm(qualification="mother", parents_married=False, register_jointly=True)
    assert rules.may_name_second_parent(qualification="mother", parents_married=False, register_jointly=True)


def test_an_unmarried_father_always_needs_the_mother_to_confirm():
    assert rules.second_parent_must_confirm(
        qualification="parent_unmarried", parents_married=False, register_jointly=False
    )


def test_a_non_parent_cannot_name_an_unmarried_father():
    assert not rules.may_name_second_parent(qualification="occupier", parents_married=False, register_jointly=True)


def test_the_first_death_informant_in_the_legal_order_always_qualifies():
    rules.check_death_informant(qualification="relative_present", higher_unavailable=False, funeral_director=False)


@pytest.mark.parametrize("qualification", rules.DEATH_ORDER[1:])
def test_later_death_informants_only_when_nobody_earlier_can(qualification):
    with pytest.raises(rules.NotQualified) as refused:
        rules.check_death_informant(qualification=qualification, higher_unavailable=False, funeral_director=False)
    assert refused.value.reason == "higher_informant_available"
    rules.check_death_informant(qualification=qualification, higher_unavailable=True, funeral_director=False)


def test_the_death_informant_order_is_the_legal_order():
    assert rules.DEATH_ORDER == [
        "relative_present",
        "relative_in_district",
        "present_at_death",
        "occupier",
        "arranging_funeral",
    ]


def test_a_funeral_director_is_not_the_person_arranging_the_funeral():
    with pytest.raises(rules.NotQualified) as refused:
        rules.check_death_informant(qualification="arranging_funeral", higher_unavailable=True, funeral_director=True)
    assert refused.value.reason == "funeral_director"


def test_every_reason_code_has_a_label():
    assert all(reason.render() for reason in CASE_REASONS.values())
    for code in rules.LATENESS_REASONS.values():
        assert code in CASE_REASONS


def test_the_legal_numbers_in_labels_and_refusals_come_from_settings(settings):
    assert case_reason_label("late_needs_authority").startswith("More than 12 months after the event")
    settings.BIRTH_LATE_MONTHS = 4
    settings.LATE_AUTHORITY_MONTHS = 18
    assert case_reason_label("late_special_procedure") == (
        "Birth registered 4 to 18 months late: registrar's special procedure"
    )
    assert case_reason_label("late_needs_authority").startswith("More than 18 months after the event")
    assert "over 18 months late" in CaseRefused("authority_needed").message
    assert case_reason_label("not_a_reason") == ""


def test_age_at_death_counts_birthdays():
    assert rules.age_at(born=date(1941, 3, 9), on=date(2026, 3, 8)) == 84
    assert rules.age_at(born=date(1941, 3, 9), on=date(2026, 3, 9)) == 85
