"""The answers of a registration (`Registration.answers`) and what is derived from them.

`answers` is a JSON object with one key per journey step, each holding that step's answers
(dates as ISO strings, yes/no as booleans). The questions of each step are listed in
BIRTH_STEPS and DEATH_STEPS below; `registrar/forms/` has one form per step that validates
them. Keys starting with an underscore are not questions but the journey's own records:

- `_second_parent`: the joint-registration invitation and confirmation (births):
  {"nonce", "channel", "to", "invited_at", "confirmed_by" (user id), "confirmed_at"}
- `_after_death`: what was issued after a death was registered:
  {"tell_us_once": "TU-XXXX-XXXX", "tell_us_once_expires": "YYYY-MM-DD", "green_form_issued_at": iso}
- `_declaration_code`: a registration staff took, whose informant was sent a one-time code to
  declare with (`registrar.staff_registration.services`): {"channel" (email/sms), "nonce" (of
  the signed link sent with it), "sent_at": iso}

Birth steps, in order (a step is asked only when `applies` says so):
  informant         qualification (rules.BIRTH_QUALIFICATIONS), parents_unable (bool, non-parents)
  child             forenames, surname, sex (female/male/indeterminate), date_of_birth, time_of_birth
                    ("HH:MM" or ""), multiple_birth (bool)
  place             place_type (hospital/home/elsewhere), place_name, address, postcode
  mother            forenames, surname, maiden_surname, date_of_birth, place_of_birth, occupation,
                    address, postcode
  relationship      parents_married (bool), register_jointly (bool; asked of an unmarried mother)
  father            forenames, surname, date_of_birth, place_of_birth, occupation
                    (only when the father or second parent may be named: rules.may_name_second_parent)
  second_parent     channel (email/sms), email, mobile: how to invite the other parent (joint only)
  informant_details full_name, address, postcode (informants who are not a parent)
  late_reason       reason (only when registering after the deadline)
  declaration       confirmed (true), at (iso)

Death steps, in order:
  informant         qualification (rules.DEATH_QUALIFICATIONS, in legal order), higher_unavailable
                    (bool), funeral_director (bool), relationship (relatives)
  deceased          forenames, surname, maiden_surname, sex, date_of_birth, place_of_birth,
                    occupation, address, postcode
  death             date_of_death, place_of_death, postcode
  certificate       reference (the MCCD reference the medical examiner gave)
  informant_details full_name, address, postcode
  funeral           arranger_name, arranger_email, disposal (burial/cremation)
  late_reason       reason
  declaration       confirmed, at

Stillbirth steps, in order (the birth's questions where they are the same; no index lines):
  informant         qualification (the birth's keys, stillbirth.rules.STILLBIRTH_QUALIFICATIONS),
                    parents_unable
  certificate       reference (the medical certificate of stillbirth's reference)
  baby              sex, date_of_delivery, time_of_delivery ("HH:MM" or "")
  name              give_name (bool), forenames, surname (only when give_name)
  place             place_type, place_name, address, postcode (as a birth)
  mother, relationship, father, second_parent, informant_details, late_reason, declaration
                    as a birth (the second parent confirms when the parents are unmarried)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Event, Registration
from .register import IndexLine
from .stillbirth import rules as stillbirth_rules


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    required: tuple[str, ...]
    applies: Callable[[dict[str, Any], date], bool] = lambda answers, today: True


def value(answers: dict[str, Any], step: str, name: str, default: Any = None) -> Any:
    section = answers.get(step)
    if not isinstance(section, dict):
        return default
    return section.get(name, default)


def as_date(text: Any) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _qualification(answers: dict) -> str:
    return value(answers, "informant", "qualification", "") or ""


def second_parent_must_confirm(answers: dict) -> bool:
    return rules.second_parent_must_confirm(
        qualification=_qualification(answers),
        parents_married=value(answers, "relationship", "parents_married"),
        register_jointly=bool(value(answers, "relationship", "register_jointly")),
    )


def second_parent_confirmed(answers: dict) -> bool:
    """The second parent has confirmed the particulars (a joint registration)."""
    record = (answers or {}).get("_second_parent") or {}
    return bool(record.get("confirmed_at"))


def may_name_second_parent(answers: dict) -> bool:
    return rules.may_name_second_parent(
        qualification=_qualification(answers),
        parents_married=value(answers, "relationship", "parents_married"),
        register_jointly=bool(value(answers, "relationship", "register_jointly")),
    )


def event_date_of(event: str, answers: dict) -> date | None:
    if event == Event.BIRTH:
        return as_date(value(answers, "child", "date_of_birth"))
    if event == Event.STILLBIRTH:
        return as_date(value(answers, "baby", "date_of_delivery"))
    return as_date(value(answers, "death", "date_of_death"))


def event_postcode(event: str, answers: dict) -> str:
    """The postcode of the place of birth or death: it decides the registration district."""
    return value(answers, "place" if event in (Event.BIRTH, Event.STILLBIRTH) else "death", "postcode", "") or ""


def _is_late(event: str) -> Callable[[dict, date], bool]:
    def applies(answers: dict, today: date) -> bool:
        happened = event_date_of(event, answers)
        if happened is None:
            return False
        if event == Event.BIRTH:
            deadline = rules.birth_deadline(happened)
        elif event == Event.STILLBIRTH:
            deadline = stillbirth_rules.stillbirth_deadline(happened)
        else:
            deadline = answers.get("_deadline") and as_date(answers["_deadline"])
        return rules.lateness(event=event, event_date=happened, deadline=deadline, today=today) != rules.IN_TIME

    return applies


BIRTH_STEPS: list[Step] = [
    Step("informant", _("Who is registering"), ("qualification",)),
    Step("child", _("The child"), ("forenames", "surname", "sex", "date_of_birth")),
    Step("place", _("Place of birth"), ("place_type", "address", "postcode")),
    Step("mother", _("The mother"), ("forenames", "surname", "date_of_birth", "place_of_birth", "address")),
    Step("relationship", _("The parents' relationship"), ("parents_married",)),
    Step(
        "father",
        _("The father or second parent"),
        ("forenames", "surname", "date_of_birth", "place_of_birth"),
        lambda answers, today: may_name_second_parent(answers),
    ),
    Step(
        "second_parent",
        _("Inviting the other parent"),
        ("channel",),
        lambda answers, today: second_parent_must_confirm(answers),
    ),
    Step(
        "informant_details",
        _("Your details"),
        ("full_name", "address"),
        lambda answers, today: _qualification(answers) not in rules.PARENTS,
    ),
    Step("late_reason", _("Why the registration is late"), ("reason",), _is_late(Event.BIRTH)),
    Step("declaration", _("Declaration"), ("confirmed",)),
]

DEATH_STEPS: list[Step] = [
    Step("informant", _("Who is registering"), ("qualification",)),
    Step("deceased", _("The person who died"), ("forenames", "surname", "sex", "date_of_birth", "address")),
    Step("death", _("The death"), ("date_of_death", "place_of_death", "postcode")),
    Step("certificate", _("Medical certificate of cause of death"), ("reference",)),
    Step("informant_details", _("Your details"), ("full_name", "address")),
    Step("funeral", _("The funeral"), ("arranger_name", "arranger_email", "disposal")),
    Step("late_reason", _("Why the registration is late"), ("reason",), _is_late(Event.DEATH)),
    Step("declaration", _("Declaration"), ("confirmed",)),
]

STILLBIRTH_STEPS: list[Step] = [
    Step("informant", _("Who is registering"), ("qualification",)),
    Step("certificate", _("Medical certificate of stillbirth"), ("reference",)),
    Step("baby", _("Your baby"), ("sex", "date_of_delivery")),
    Step("name", _("Your baby's name"), ("give_name",)),
    Step("place", _("Where your baby was born"), ("place_type", "address", "postcode")),
    Step("mother", _("The mother"), ("forenames", "surname", "date_of_birth", "place_of_birth", "address")),
    Step("relationship", _("The parents' relationship"), ("parents_married",)),
    Step(
        "father",
        _("The father or second parent"),
        ("forenames", "surname", "date_of_birth", "place_of_birth"),
        lambda answers, today: may_name_second_parent(answers),
    ),
    Step(
        "second_parent",
        _("Asking the other parent to confirm"),
        ("channel",),
        lambda answers, today: second_parent_must_confirm(answers),
    ),
    Step(
        "informant_details",
        _("Your details"),
        ("full_name", "address"),
        lambda answers, today: _qualification(answers) not in rules.PARENTS,
    ),
    Step("late_reason", _("Why the registration is late"), ("reason",), _is_late(Event.STILLBIRTH)),
    Step("declaration", _("Declaration"), ("confirmed",)),
]

STEPS = {Event.BIRTH: BIRTH_STEPS, Event.DEATH: DEATH_STEPS, Event.STILLBIRTH: STILLBIRTH_STEPS}


def steps_for(registration: Registration, today: date | None = None) -> list[Step]:
    """The steps this registration asks, in order, given the answers so far."""
    today = today or rules.local_today()
    answers = _with_deadline(registration)
    return [step for step in STEPS[registration.event] if step.applies(answers, today)]


def step_named(event: str, name: str) -> Step | None:
    return next((step for step in STEPS[event] if step.name == name), None)


def _with_deadline(registration: Registration) -> dict:
    answers = dict(registration.answers or {})
    if registration.deadline:
        answers["_deadline"] = registration.deadline.isoformat()
    return answers


def step_complete(registration: Registration, step: Step) -> bool:
    section = (registration.answers or {}).get(step.name)
    if not isinstance(section, dict):
        return False
    return all(section.get(name) not in (None, "") for name in step.required)


def missing_steps(registration: Registration, today: date | None = None) -> list[str]:
    """Names of the steps still to answer, in journey order (the declaration last)."""
    return [step.name for step in steps_for(registration, today) if not step_complete(registration, step)]


def next_step(registration: Registration, today: date | None = None) -> str | None:
    missing = missing_steps(registration, today)
    return missing[0] if missing else None


# --- The entry ----------------------------------------------------------------------------------


def _join(*parts: Any) -> str:
    return ", ".join(str(part).strip() for part in parts if part and str(part).strip())


def _name(forenames: Any, surname: Any) -> str:
    return " ".join(str(part).strip() for part in (forenames, surname) if part and str(part).strip())


def informant_name(registration: Registration) -> str:
    answers = registration.answers or {}
    qualification = _qualification(answers)
    if registration.event in (Event.BIRTH, Event.STILLBIRTH):
        if qualification == "mother":
            return _name(value(answers, "mother", "forenames"), value(answers, "mother", "surname"))
        if qualification in rules.PARENTS:
            return _name(value(answers, "father", "forenames"), value(answers, "father", "surname"))
    return str(value(answers, "informant_details", "full_name", "") or "")


def _informant_address(registration: Registration) -> str:
    answers = registration.answers or {}
    qualification = _qualification(answers)
    if registration.event in (Event.BIRTH, Event.STILLBIRTH) and qualification in rules.PARENTS:
        # Parents live at the address given for the mother unless told otherwise.
        return _join(value(answers, "mother", "address"), value(answers, "mother", "postcode"))
    return _join(value(answers, "informant_details", "address"), value(answers, "informant_details", "postcode"))


def _birth_entry(registration: Registration) -> dict[str, Any]:
    answers = registration.answers or {}
    child = answers.get("child", {})
    mother = answers.get("mother", {})
    father = answers.get("father", {}) if may_name_second_parent(answers) else {}
    qualification = _qualification(answers)
    place = answers.get("place", {})
    joint = second_parent_must_confirm(answers)
    qualification_text = rules.BIRTH_QUALIFICATION_IN_REGISTER.get(qualification, "")
    name = informant_name(registration)
    if joint:
        # Both parents registered: the entry names both as informants.
        mother_name = _name(mother.get("forenames"), mother.get("surname"))
        father_name = _name(father.get("forenames"), father.get("surname"))
        name, qualification_text = f"{mother_name} and {father_name}", "Mother and father"
    particulars = {
        "child_forenames": child.get("forenames", ""),
        "child_surname": child.get("surname", ""),
        "sex": child.get("sex", ""),
        "date_of_birth": child.get("date_of_birth", ""),
        "time_of_birth": child.get("time_of_birth", "") or "",
        "place_of_birth": _join(place.get("place_name"), place.get("address"), place.get("postcode")),
        "multiple_birth": bool(child.get("multiple_birth")),
        "mother_forenames": mother.get("forenames", ""),
        "mother_surname": mother.get("surname", ""),
        "mother_maiden_surname": mother.get("maiden_surname", "") or mother.get("surname", ""),
        "mother_place_of_birth": mother.get("place_of_birth", ""),
        "mother_occupation": mother.get("occupation", "") or "",
        "mother_address": _join(mother.get("address"), mother.get("postcode")),
        "father_forenames": father.get("forenames", ""),
        "father_surname": father.get("surname", ""),
        "father_place_of_birth": father.get("place_of_birth", ""),
        "father_occupation": father.get("occupation", "") or "",
        "informant_name": name,
        "informant_qualification": qualification_text,
        "informant_address": _informant_address(registration),
    }
    return {
        "event_date": as_date(child.get("date_of_birth")),
        "surname": particulars["child_surname"],
        "forenames": particulars["child_forenames"],
        "particulars": particulars,
        "index_lines": [
            IndexLine(
                surname=particulars["child_surname"],
                forenames=particulars["child_forenames"],
                other_surname=particulars["mother_maiden_surname"],
            )
        ],
    }


def _death_entry(registration: Registration) -> dict[str, Any]:
    answers = registration.answers or {}
    deceased = answers.get("deceased", {})
    death = answers.get("death", {})
    certificate = registration.medical_certificate
    born, died = as_date(deceased.get("date_of_birth")), as_date(death.get("date_of_death"))
    age = rules.age_at(born=born, on=died) if born and died else None
    certified_by = ""
    if certificate is not None:
        certified_by = certificate.certifying_practitioner
        if certificate.medical_examiner:
            certified_by += f" (scrutinised by {certificate.medical_examiner}, medical examiner)"
    particulars = {
        "deceased_forenames": deceased.get("forenames", ""),
        "deceased_surname": deceased.get("surname", ""),
        "deceased_maiden_surname": deceased.get("maiden_surname", "") or "",
        "sex": deceased.get("sex", ""),
        "date_of_birth": deceased.get("date_of_birth", ""),
        "place_of_birth": deceased.get("place_of_birth", "") or "",
        "date_of_death": death.get("date_of_death", ""),
        "place_of_death": _join(death.get("place_of_death"), death.get("postcode")),
        "age": age,
        "occupation": deceased.get("occupation", "") or "",
        "usual_address": _join(deceased.get("address"), deceased.get("postcode")),
        "cause_of_death": certificate.cause_of_death if certificate else "",
        "certified_by": certified_by,
        "informant_name": informant_name(registration),
        "informant_qualification": rules.DEATH_QUALIFICATION_IN_REGISTER.get(_qualification(answers), ""),
        "informant_address": _informant_address(registration),
    }
    return {
        "event_date": died,
        "surname": particulars["deceased_surname"],
        "forenames": particulars["deceased_forenames"],
        "particulars": particulars,
        "index_lines": [
            IndexLine(surname=particulars["deceased_surname"], forenames=particulars["deceased_forenames"], age=age)
        ],
    }


def baby_name(answers: dict) -> tuple[str, str]:
    """The forenames and surname the parents gave their baby, or two empty strings: a stillborn
    child may be named, and need not be."""
    if not value(answers, "name", "give_name"):
        return "", ""
    return str(value(answers, "name", "forenames", "") or ""), str(value(answers, "name", "surname", "") or "")


def _stillbirth_entry(registration: Registration) -> dict[str, Any]:
    """The still-birth entry: the birth's particulars about the parents and the informant, the
    certificate's about the baby (weeks, weight, cause, who certified), and no index lines."""
    answers = registration.answers or {}
    birth = _birth_entry(registration)["particulars"]
    baby = answers.get("baby", {})
    certificate = registration.stillbirth_certificate
    forenames, surname = baby_name(answers)
    qualification = _qualification(answers)
    particulars = {
        key: birth[key]
        for key in (
            "place_of_birth",
            "mother_forenames",
            "mother_surname",
            "mother_maiden_surname",
            "mother_place_of_birth",
            "mother_occupation",
            "mother_address",
            "father_forenames",
            "father_surname",
            "father_place_of_birth",
            "father_occupation",
            "informant_name",
            "informant_qualification",
            "informant_address",
        )
    }
    if not second_parent_must_confirm(answers):
        particulars["informant_qualification"] = stillbirth_rules.QUALIFICATION_IN_REGISTER.get(qualification, "")
    particulars.update(
        {
            "child_forenames": forenames,
            "child_surname": surname,
            "named": bool(forenames or surname),
            "sex": baby.get("sex", ""),
            "date_of_delivery": baby.get("date_of_delivery", ""),
            "time_of_delivery": baby.get("time_of_delivery", "") or "",
            "weeks_of_pregnancy": certificate.weeks_of_pregnancy if certificate else None,
            "weight_grams": certificate.weight_grams if certificate else None,
            "cause_of_death": certificate.cause if certificate else "",
            "certified_by": (
                f"{certificate.certifier_name}, {certificate.get_certifier_display().lower()} "
                f"({certificate.certifier_registration_number})"
            )
            if certificate
            else "",
            "certificate_reference": certificate.reference if certificate else "",
        }
    )
    return {
        "event_date": as_date(baby.get("date_of_delivery")),
        # An unnamed baby is found by staff under the mother's surname.
        "surname": surname or particulars["mother_surname"],
        "forenames": forenames,
        "particulars": particulars,
        "index_lines": [],
    }


def entry_fields(registration: Registration) -> dict[str, Any]:
    """What `register.write_entry` needs from the answers: event_date, surname, forenames,
    particulars (the keys listed in the module docstring of the certificates contract) and
    index_lines (births under the child with the mother's maiden surname, deaths under the
    deceased with the age)."""
    if registration.event == Event.BIRTH:
        return _birth_entry(registration)
    if registration.event == Event.STILLBIRTH:
        return _stillbirth_entry(registration)
    return _death_entry(registration)
