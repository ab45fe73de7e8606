"""The legal rules of birth and death registration as plain functions of dates and answers
(shared/REGISTRATION-RULES.md): deadlines, late bands and who may register. The reason codes
that send a registration to a registrar, and their labels, are in `refusals.CASE_REASONS`."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .refusals import NotQualified

# --- Who may register -----------------------------------------------------------------------------
# Birth informants (Births and Deaths Registration Act 1953, ss. 1-2, 10).
BIRTH_QUALIFICATIONS: dict[str, str] = {
    "mother": _("Mother"),
    "parent_married": _("Father or second parent, married to or in a civil partnership with the mother"),
    "parent_unmarried": _("Father or second parent, not married to the mother"),
    "occupier": _("Occupier of the place where the child was born"),
    "present_at_birth": _("Person present at the birth"),
    "responsible_for_child": _("Person responsible for the child"),
}
# How the register shows the informant's qualification.
BIRTH_QUALIFICATION_IN_REGISTER: dict[str, str] = {
    "mother": "Mother",
    "parent_married": "Father",
    "parent_unmarried": "Father",
    "occupier": "Occupier",
    "present_at_birth": "Present at the birth",
    "responsible_for_child": "Person responsible for the child",
}
PARENTS = ("mother", "parent_married", "parent_unmarried")
# Death informants in their legal order (1953 Act, ss. 16-17): a later one registers only when
# nobody earlier in the order can.
DEATH_QUALIFICATIONS: dict[str, str] = {
    "relative_present": _("A relative who was present at the death or during the last illness"),
    "relative_in_district": _("Another relative living in the district where the death happened"),
    "present_at_death": _("A person who was present at the death"),
    "occupier": _("The occupier of the building where the death happened"),
    "arranging_funeral": _("The person arranging the funeral (not the funeral director)"),
}
DEATH_ORDER = list(DEATH_QUALIFICATIONS)
DEATH_QUALIFICATION_IN_REGISTER: dict[str, str] = {
    "relative_present": "Relative, present at the death",
    "relative_in_district": "Relative",
    "present_at_death": "Present at the death",
    "occupier": "Occupier",
    "arranging_funeral": "Causing the disposal",
}


def check_birth_informant(*, qualification: str, parents_unable: bool | None) -> None:
    """Parents first: the occupier, a person present or the person responsible for the child may
    register only when the parents cannot."""
    if qualification not in BIRTH_QUALIFICATIONS:
        raise NotQualified("unknown_qualification")
    if qualification not in PARENTS and not parents_unable:
        raise NotQualified("parents_can_register")


def check_death_informant(*, qualification: str, higher_unavailable: bool | None, funeral_director: bool) -> None:
    """The legal order: the first kind of informant always qualifies; each later one only when
    nobody earlier can register. A funeral director is never 'the person arranging the funeral'."""
    if qualification not in DEATH_QUALIFICATIONS:
        raise NotQualified("unknown_qualification")
    if qualification == "arranging_funeral" and funeral_director:
        raise NotQualified("funeral_director")
    if DEATH_ORDER.index(qualification) > 0 and not higher_unavailable:
        raise NotQualified("higher_informant_available")


def second_parent_must_confirm(*, qualification: str, parents_married: bool | None, register_jointly: bool) -> bool:
    """Unmarried parents: the second parent is named only when both register. Online that means
    the other parent is invited and confirms. An unmarried father always needs the mother."""
    if parents_married:
        return False
    if qualification == "parent_unmarried":
        return True
    return qualification == "mother" and register_jointly


def may_name_second_parent(*, qualification: str, parents_married: bool | None, register_jointly: bool) -> bool:
    """Whether the father or second parent appears in the entry."""
    if parents_married:
        return True
    return second_parent_must_confirm(
        qualification=qualification, parents_married=parents_married, register_jointly=register_jointly
    )


# --- Deadlines and late bands ---------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Calendar months; the 31st becomes the last day of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def birth_deadline(date_of_birth: date) -> date:
    """The last day to register in time: day 42 counting the birth as day 0."""
    return date_of_birth + timedelta(days=settings.BIRTH_REGISTRATION_DAYS)


def death_deadline(*, received_on: date, extension_notified: bool) -> date:
    """5 days from the day the registrar has the MCCD, plus 9 when told in writing it was issued."""
    days = settings.DEATH_REGISTRATION_DAYS + (settings.DEATH_EXTENSION_DAYS if extension_notified else 0)
    return received_on + timedelta(days=days)


IN_TIME = "in_time"
LATE = "late"  # registrable with a reason
SPECIAL_PROCEDURE = "special_procedure"  # births 3-12 months: registrar's special procedure
NEEDS_AUTHORITY = "needs_authority"  # over 12 months: the Registrar General's authority


def lateness(*, event: str, event_date: date, deadline: date | None, today: date) -> str:
    """Which band today falls in. 'Over 12 months' starts the day after the 12-month anniversary;
    'over 3 months' likewise, so the anniversary day itself is still in the lower band."""
    if today > add_months(event_date, settings.LATE_AUTHORITY_MONTHS):
        return NEEDS_AUTHORITY
    if deadline is None or today <= deadline:
        return IN_TIME
    # Stillbirths have the late bands of births (REGISTRATION-RULES.md "Stillbirths").
    if event in ("birth", "stillbirth") and today > add_months(event_date, settings.BIRTH_LATE_MONTHS):
        return SPECIAL_PROCEDURE
    return LATE


# Late with a reason is still registered automatically; the later bands need a registrar.
LATENESS_REASONS = {SPECIAL_PROCEDURE: "late_special_procedure", NEEDS_AUTHORITY: "late_needs_authority"}


def age_at(*, born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def local_today() -> date:
    return timezone.localdate()
