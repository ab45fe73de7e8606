"""The answers one person gives in their notice (`Notice.answers`), one question per page, each
page saving one key. Every part of the journey reads them through the functions here.

  names         forenames, surname
  date_of_birth date_of_birth (ISO date)
  condition     condition (Notice.Condition value); when not "never": former_partner (their full
                name), how_ended ("divorce", "dissolution", "annulment" or "death"), ended_on
                (ISO date); for "death": died_in_england_or_wales (bool), former_partner_born
                (ISO date, optional: helps find the death in the central register)
  occupation    occupation ("" when they have none; shown as such)
  address       address (lines joined by newlines), postcode, lived_there_since (ISO date)
  nationality   nationality ("british", "irish" or "other"), other_nationality (words, when
                "other"), immigration_status ("settled", "pre_settled", "marriage_visa", "other"
                or "" when British or Irish), immigration_reference (optional)
  venue         confirmed (bool): the person confirms the venue of the proposal (its booked
                venue, or for a religious marriage the building it names)
  parents       parents: a list of 1 to 4 {"forenames", "surname", "occupation"}
  declaration   declared_at (ISO datetime): no lawful impediment, and the answers are true
"""

from __future__ import annotations

from datetime import date

STEPS = (
    "names",
    "date_of_birth",
    "condition",
    "occupation",
    "address",
    "nationality",
    "venue",
    "parents",
    "declaration",
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def forenames(answers: dict) -> str:
    return answers.get("names", {}).get("forenames", "")


def surname(answers: dict) -> str:
    return answers.get("names", {}).get("surname", "")


def full_name(answers: dict) -> str:
    return " ".join(part for part in (forenames(answers), surname(answers)) if part)


def date_of_birth(answers: dict) -> date | None:
    return _date(answers.get("date_of_birth", {}).get("date_of_birth"))


def condition(answers: dict) -> str:
    return answers.get("condition", {}).get("condition", "")


def how_ended(answers: dict) -> str:
    return answers.get("condition", {}).get("how_ended", "")


def ended_on(answers: dict) -> date | None:
    return _date(answers.get("condition", {}).get("ended_on"))


def occupation(answers: dict) -> str:
    return answers.get("occupation", {}).get("occupation", "")


def address(answers: dict) -> str:
    return answers.get("address", {}).get("address", "")


def postcode(answers: dict) -> str:
    return answers.get("address", {}).get("postcode", "")


def lived_there_since(answers: dict) -> date | None:
    return _date(answers.get("address", {}).get("lived_there_since"))


def nationality(answers: dict) -> str:
    return answers.get("nationality", {}).get("nationality", "")


def immigration_status(answers: dict) -> str:
    return answers.get("nationality", {}).get("immigration_status", "")


def parents(answers: dict) -> list[dict]:
    return list(answers.get("parents", {}).get("parents", []))
