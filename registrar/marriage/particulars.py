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
  converted_from {"entry": the partnership's entry reference, "formed_on": ISO date}
                                                 (a marriage converted from a civil partnership)
"""

from __future__ import annotations

PARTY_FIELDS = ("forenames", "surname", "age", "date_of_birth", "condition", "occupation", "address", "parents")


def date_key(event: str) -> str:
    return "date_of_marriage" if event == "marriage" else "date_of_formation"


def place_key(event: str) -> str:
    return "place_of_marriage" if event == "marriage" else "place_of_formation"


def party(particulars: dict, position: int) -> dict:
    """One party's particulars without the `partyN_` prefix."""
    prefix = f"party{position}_"
    return {name: particulars.get(prefix + name, "") for name in PARTY_FIELDS}
