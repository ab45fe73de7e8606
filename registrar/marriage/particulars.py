"""The particulars of a marriage or civil partnership: what the schedule holds when it is made
(`Schedule.particulars`) and what the register entry holds (`RegisterEntry.particulars`, events
marriage and civil_partnership). Certificates render them; historic marriage entries use the
same keys (without the newer ones).

Keys, for N in 1 and 2 (the two parties, in the order of their notices):
  partyN_forenames, partyN_surname, partyN_age (whole years on the day, as text),
  partyN_date_of_birth (ISO), partyN_condition (Notice.Condition value), partyN_occupation,
  partyN_address, partyN_parents (a list of up to 4 {"forenames", "surname", "occupation"})
and for the ceremony:
  date_of_marriage, place_of_marriage            (marriages; ISO date and the place in words)
  date_of_formation, place_of_formation          (civil partnerships)
  form ("civil" or "religious"), schedule (its reference),
  officiants (a list of {"name", "role"}), witnesses (a list of 2 names),
  converted_from {"entry": the partnership's entry reference, "formed_on": ISO date,
                  "declared_on": ISO date of the declaration of conversion}
                                                 (a marriage converted from a civil partnership)
"""

from __future__ import annotations

from datetime import date

from . import answers
from .rules import age_on

PARTY_FIELDS = ("forenames", "surname", "age", "date_of_birth", "condition", "occupation", "address", "parents")


def date_key(event: str) -> str:
    return "date_of_marriage" if event == "marriage" else "date_of_formation"


def place_key(event: str) -> str:
    return "place_of_marriage" if event == "marriage" else "place_of_formation"


def party(particulars: dict, position: int) -> dict:
    """One party's particulars without the `partyN_` prefix."""
    prefix = f"party{position}_"
    return {name: particulars.get(prefix + name, "") for name in PARTY_FIELDS}


# Particulars a registrar may correct on the day (a party's own details; the parents, the
# ceremony and the signatures are recorded by their own questions).
CORRECTABLE_FIELDS = ("forenames", "surname", "date_of_birth", "condition", "occupation", "address")


def correctable_keys() -> list[str]:
    return [f"party{position}_{name}" for position in (1, 2) for name in CORRECTABLE_FIELDS]


def from_notices(proposal, *, ceremony_date, place: str, schedule_reference: str) -> dict:
    """The schedule's particulars from both notices' answers: each party as they gave notice, with
    their age on `ceremony_date`, and the ceremony's date, place and form."""
    event = proposal.event
    particulars: dict = {}
    for notice in proposal.notices.all():
        given = notice.answers or {}
        born = answers.date_of_birth(given)
        prefix = f"party{notice.position}_"
        particulars.update(
            {
                prefix + "forenames": answers.forenames(given),
                prefix + "surname": answers.surname(given),
                prefix + "age": str(age_on(born, ceremony_date)) if born and ceremony_date else "",
                prefix + "date_of_birth": born.isoformat() if born else "",
                prefix + "condition": answers.condition(given),
                prefix + "occupation": answers.occupation(given),
                prefix + "address": answers.address(given),
                prefix + "parents": answers.parents(given)[:4],
            }
        )
    particulars.update(
        {
            date_key(event): ceremony_date.isoformat() if ceremony_date else "",
            place_key(event): place,
            "form": proposal.form,
            "schedule": schedule_reference,
            "officiants": [],
            "witnesses": [],
        }
    )
    return particulars


def with_ages_on(particulars: dict, ceremony_date) -> dict:
    """The particulars with both ages worked out again for `ceremony_date` (a corrected date of
    birth, or a ceremony on another day than the one booked)."""
    updated = dict(particulars)
    for position in (1, 2):
        born = updated.get(f"party{position}_date_of_birth")
        try:
            born_on = date.fromisoformat(born) if born else None
        except ValueError:
            born_on = None
        updated[f"party{position}_age"] = str(age_on(born_on, ceremony_date)) if born_on else ""
    return updated
