"""Answers, register particulars and the codes a registrar sees, in words: each answer under the
label of the question page that asked it (`registrar/forms/`), each value as the citizen's
check-answers page shows it (dates as "19 November 2026", yes or no, the chosen option's label),
and each reason code in a sentence, in the active language. The citizen's check-answers page,
the staff case, queue and entry pages, the staff API and certificates all read them from here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField
from identity.scoring import reason_words as identity_reason_words

from . import answers as answers_module
from . import rules
from .forms import FORMS
from .forms.birth import ChildForm, MotherForm
from .forms.common import SEX
from .forms.death import DeathForm, DeceasedForm
from .models import Event, Registration
from .models.citizenship import CitizenshipInvitation
from .models.marriages import Notice, Proposal
from .refusals import case_reason_label
from .stillbirth.forms import BabyForm, NameForm

# --- One value ----------------------------------------------------------------------------------------


def in_words_date(value: Any) -> str:
    """A date as the register and the check-answers page write it, month in the active language;
    text that is not an ISO date is returned as it is."""
    parsed = value if isinstance(value, date) else answers_module.as_date(value)
    return date_format(parsed, "j F Y") if parsed else str(value or "")


def yes_no(value: Any) -> str:
    return gettext("Yes") if value else gettext("No")


def answer_in_words(form_field: forms.Field, saved: Any) -> str:
    """One saved answer as its question page's field reads it back."""
    if saved in (None, ""):
        return gettext("Not given")
    if isinstance(form_field, GovukDateField):
        return in_words_date(saved)
    if isinstance(form_field, forms.TypedChoiceField) and not isinstance(saved, str):
        return yes_no(saved)
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(saved, saved))
    if isinstance(form_field, forms.BooleanField):
        return yes_no(saved)
    return str(saved)


_OPTIONAL = re.compile(r"\s*\((optional|dewisol)\)\s*$", re.IGNORECASE)


def plain_label(label: Any) -> str:
    """A question's label without its "(optional)": staff read what was given, not how it was asked."""
    return _OPTIONAL.sub("", str(label))


# --- The answers of a registration ------------------------------------------------------------------


# A question on a page that the other answers on it leave unasked: leaving it empty is not
# "Not given", so it is not listed at all.
NOT_ASKED: dict[tuple[str, str], Callable[[dict], bool]] = {
    ("second_parent", "email"): lambda section: section.get("channel") != "email",
    ("second_parent", "mobile"): lambda section: section.get("channel") != "sms",
    # The form saves None when the parents' answers mean the question was not put.
    ("relationship", "register_jointly"): lambda section: section.get("register_jointly") is None,
    ("name", "forenames"): lambda section: not section.get("give_name"),
    ("name", "surname"): lambda section: not section.get("give_name"),
}
DEATH_NOT_ASKED: dict[tuple[str, str], Callable[[dict], bool]] = {
    ("informant", "relationship"): lambda section: not str(section.get("qualification") or "").startswith("relative"),
}
# Records of a step that are not questions on its page, with the label staff read.
STEP_RECORDS = {("declaration", "at"): _("Declared on")}


@dataclass(frozen=True)
class AnswerRow:
    name: str
    label: str
    value: str


@dataclass(frozen=True)
class AnswerSection:
    step: str
    title: str
    rows: list[AnswerRow] = field(default_factory=list)


def _asked(event: str, step: str, name: str, section: dict) -> bool:
    unasked = NOT_ASKED.get((step, name)) or (DEATH_NOT_ASKED.get((step, name)) if event == Event.DEATH else None)
    return not (unasked and unasked(section))


def _record_in_words(saved: Any) -> str:
    parsed = None
    if isinstance(saved, str) and "T" in saved:
        try:
            parsed = datetime.fromisoformat(saved)
        except ValueError:
            parsed = None
    if parsed is not None:
        return date_format(timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed, "j F Y H:i")
    return in_words_date(saved) if saved else gettext("Not given")


def _page_order(form_class: type[forms.Form], registration: Registration) -> list[str]:
    """The questions of a page in the order the page asks them."""
    on_page = [pointer.name for pointer in form_class(registration=registration).helper.layout.get_field_names()]
    return [*on_page, *(name for name in form_class.base_fields if name not in on_page)]


def answer_sections(
    registration: Registration, *, with_declaration: bool = False, today: date | None = None
) -> list[AnswerSection]:
    """The answers of each step the registration asks, in journey order, each question under its
    page's label with its answer in words. Questions the other answers leave unasked, and
    unticked boxes, are left out."""
    answers = registration.answers or {}
    sections = []
    for step in answers_module.steps_for(registration, today):
        if step.name == "declaration" and not with_declaration:
            continue
        form_class = FORMS[registration.event][step.name]
        section = answers.get(step.name)
        section = section if isinstance(section, dict) else {}
        rows = []
        for name in _page_order(form_class, registration):
            form_field = form_class.base_fields[name]
            saved = section.get(name)
            if isinstance(form_field, forms.BooleanField) and not saved:
                continue
            if not _asked(registration.event, step.name, name, section):
                continue
            rows.append(AnswerRow(name, str(form_field.label), answer_in_words(form_field, saved)))
        for (record_step, name), label in STEP_RECORDS.items():
            if record_step == step.name and section.get(name):
                rows.append(AnswerRow(name, str(label), _record_in_words(section[name])))
        sections.append(AnswerSection(step.name, str(step.title), rows))
    return sections


def labelled_answers(registration: Registration) -> list[dict[str, Any]]:
    """The answers in words for the API, beside the raw ones: by step, each with its label."""
    return [
        {
            "step": section.step,
            "title": section.title,
            "answers": [{"name": row.name, "label": row.label, "value": row.value} for row in section.rows],
        }
        for section in answer_sections(registration, with_declaration=True)
    ]


# --- Reasons ---------------------------------------------------------------------------------------

# Identity checks' fraud signals, as staff read them (citizens are never shown these).
FRAUD_SIGNALS = {
    "fraud_document_reused": _("The same identity document was used by another account"),
    "fraud_image_reused": _("The same photo was used by another account"),
    "fraud_edited_image": _("A photo looks edited"),
}


def reason_in_words(code: str) -> str:
    """A reason a case waits for a registrar, in a sentence; a code this service no longer knows
    is still written in words, never as a key."""
    code = str(code)
    words = case_reason_label(code)
    if words:
        return words
    if code in FRAUD_SIGNALS:
        return str(FRAUD_SIGNALS[code])
    words = identity_reason_words(code)
    if words:
        return words
    return code.replace("_", " ").strip().capitalize()


# --- The particulars of a register entry ------------------------------------------------------------


def _label(form_class: type[forms.Form], name: str) -> Callable[[], str]:
    return lambda: plain_label(form_class.base_fields[name].label)


def _text(text: Any) -> Callable[[], str]:
    return lambda: str(text)


@dataclass(frozen=True)
class Particular:
    key: str
    label: Callable[[], str]
    kind: str = "text"  # text, date, yes_no, sex, choice, register_words, people, grams, weeks
    choices: dict[str, Any] | None = None


def _qualifications() -> dict[str, Any]:
    return {**rules.BIRTH_QUALIFICATIONS, **rules.DEATH_QUALIFICATIONS}


BIRTH_PARTICULARS: list[tuple[Any, list[Particular]]] = [
    (
        _("The child"),
        [
            Particular("child_forenames", _label(ChildForm, "forenames")),
            Particular("child_surname", _label(ChildForm, "surname")),
            Particular("sex", _label(ChildForm, "sex"), "sex"),
            Particular("date_of_birth", _label(ChildForm, "date_of_birth"), "date"),
            Particular("time_of_birth", _label(ChildForm, "time_of_birth")),
            Particular("multiple_birth", _label(ChildForm, "multiple_birth"), "yes_no"),
            Particular("place_of_birth", _text(_("Place of birth"))),
        ],
    ),
    (
        _("The mother"),
        [
            Particular("mother_forenames", _label(MotherForm, "forenames")),
            Particular("mother_surname", _label(MotherForm, "surname")),
            Particular("mother_maiden_surname", _label(MotherForm, "maiden_surname")),
            Particular("mother_place_of_birth", _label(MotherForm, "place_of_birth")),
            Particular("mother_occupation", _label(MotherForm, "occupation")),
            Particular("mother_address", _label(MotherForm, "address")),
        ],
    ),
    (
        _("The father or second parent"),
        [
            Particular("father_forenames", _label(MotherForm, "forenames")),
            Particular("father_surname", _label(MotherForm, "surname")),
            Particular("father_place_of_birth", _label(MotherForm, "place_of_birth")),
            Particular("father_occupation", _label(MotherForm, "occupation")),
        ],
    ),
]
INFORMANT_PARTICULARS: tuple[Any, list[Particular]] = (
    _("The informant"),
    [
        Particular("informant_name", _text(_("Name"))),
        Particular("informant", _text(_("Informant"))),
        Particular("informant_qualification", _text(_("Qualification")), "register_words"),
        Particular("informant_address", _text(_("Address"))),
    ],
)
DEATH_PARTICULARS: list[tuple[Any, list[Particular]]] = [
    (
        _("The person who died"),
        [
            Particular("deceased_forenames", _label(DeceasedForm, "forenames")),
            Particular("deceased_surname", _label(DeceasedForm, "surname")),
            Particular("deceased_maiden_surname", _label(DeceasedForm, "maiden_surname")),
            Particular("sex", _label(DeceasedForm, "sex"), "sex"),
            Particular("date_of_birth", _label(DeceasedForm, "date_of_birth"), "date"),
            Particular("place_of_birth", _label(DeceasedForm, "place_of_birth")),
            Particular("age", _text(_("Age"))),
            Particular("occupation", _label(DeceasedForm, "occupation")),
            Particular("usual_address", _label(DeceasedForm, "address")),
        ],
    ),
    (
        _("The death"),
        [
            Particular("date_of_death", _label(DeathForm, "date_of_death"), "date"),
            Particular("place_of_death", _label(DeathForm, "place_of_death")),
            Particular("cause_of_death", _text(_("Cause of death"))),
            Particular("inquest_conclusion", _text(_("Conclusion of the inquest"))),
            Particular("certified_by", _text(_("Certified by"))),
            Particular("coroner_certificate", _text(_("Coroner's certificate"))),
        ],
    ),
]
STILLBIRTH_PARTICULARS: list[tuple[Any, list[Particular]]] = [
    (
        _("The baby"),
        [
            Particular("child_forenames", _label(NameForm, "forenames")),
            Particular("child_surname", _label(NameForm, "surname")),
            Particular("named", _label(NameForm, "give_name"), "yes_no"),
            Particular("sex", _label(BabyForm, "sex"), "sex"),
            Particular("date_of_delivery", _label(BabyForm, "date_of_delivery"), "date"),
            Particular("time_of_delivery", _label(BabyForm, "time_of_delivery")),
            Particular("place_of_birth", _text(_("Place of birth"))),
            Particular("weeks_of_pregnancy", _text(_("Weeks of pregnancy")), "weeks"),
            Particular("weight_grams", _text(_("Weight")), "grams"),
            Particular("cause_of_death", _text(_("Cause of death"))),
            Particular("certified_by", _text(_("Certified by"))),
            Particular("certificate_reference", _text(_("Medical certificate of stillbirth"))),
        ],
    ),
    *BIRTH_PARTICULARS[1:],
]


def _party(position: int) -> tuple[Any, list[Particular]]:
    prefix = f"party{position}_"
    return (
        _("The first party") if position == 1 else _("The second party"),
        [
            Particular(prefix + "forenames", _label(MotherForm, "forenames")),
            Particular(prefix + "surname", _label(MotherForm, "surname")),
            Particular(prefix + "age", _text(_("Age"))),
            Particular(prefix + "date_of_birth", _label(MotherForm, "date_of_birth"), "date"),
            Particular(prefix + "condition", _text(_("Condition")), "choice", dict(Notice.Condition.choices)),
            Particular(prefix + "occupation", _label(MotherForm, "occupation")),
            Particular(prefix + "address", _text(_("Address"))),
            Particular(prefix + "parents", _text(_("Parents")), "people"),
        ],
    )


CEREMONY_PARTICULARS: tuple[Any, list[Particular]] = (
    _("The ceremony"),
    [
        Particular("date_of_marriage", _text(_("Date of marriage")), "date"),
        Particular("place_of_marriage", _text(_("Place of marriage"))),
        Particular("date_of_formation", _text(_("Date of formation")), "date"),
        Particular("place_of_formation", _text(_("Place of formation"))),
        Particular("form", _text(_("Form of ceremony")), "choice", dict(Proposal.Form.choices)),
        Particular("schedule", _text(_("Schedule"))),
        Particular("officiants", _text(_("Officiants")), "people"),
        Particular("witnesses", _text(_("Witnesses")), "people"),
        Particular("converted_from", _text(_("Converted from a civil partnership")), "people"),
    ],
)
MARRIAGE_PARTICULARS = [_party(1), _party(2), CEREMONY_PARTICULARS]
CITIZENSHIP_PARTICULARS: list[tuple[Any, list[Particular]]] = [
    (
        _("The new citizen"),
        [
            Particular("forenames", _label(MotherForm, "forenames")),
            Particular("surname", _label(MotherForm, "surname")),
            Particular("date_of_birth", _label(MotherForm, "date_of_birth"), "date"),
            Particular("route", _text(_("Route")), "choice", dict(CitizenshipInvitation.Route.choices)),
            Particular("home_office_reference", _text(_("Home Office reference"))),
        ],
    ),
    (
        _("The ceremony"),
        [
            Particular("ceremony_date", _text(_("Date of the ceremony")), "date"),
            Particular("ceremony_place", _text(_("Place of the ceremony"))),
            Particular(
                "pledge_form", _text(_("Oath or affirmation")), "choice", dict(CitizenshipInvitation.Pledge.choices)
            ),
            Particular("language", _text(_("Language")), "choice", {"en": _("English"), "cy": _("Welsh")}),
            Particular("pledge", _text(_("Pledge made")), "yes_no"),
            Particular("certificate_number", _text(_("Certificate number"))),
            Particular("registrar", _text(_("Registrar"))),
        ],
    ),
]

PARTICULARS: dict[str, list[tuple[Any, list[Particular]]]] = {
    Event.BIRTH: [*BIRTH_PARTICULARS, INFORMANT_PARTICULARS],
    Event.DEATH: [*DEATH_PARTICULARS, INFORMANT_PARTICULARS],
    Event.STILLBIRTH: [*STILLBIRTH_PARTICULARS, INFORMANT_PARTICULARS],
    "marriage": MARRIAGE_PARTICULARS,
    "civil_partnership": MARRIAGE_PARTICULARS,
    "citizenship": CITIZENSHIP_PARTICULARS,
}
SEX_WORDS = {value: label for value, label in SEX}
# The register holds the informant's qualification in its own English words (rules'
# *_QUALIFICATION_IN_REGISTER); the entry stays as written, and a Welsh page or certificate shows
# the same words in Welsh.
REGISTER_WORDS = {
    "Mother": pgettext_lazy("register wording", "Mother"),
    "Father": pgettext_lazy("register wording", "Father"),
    "Mother and father": pgettext_lazy("register wording", "Mother and father"),
    "Occupier": pgettext_lazy("register wording", "Occupier"),
    "Present at the birth": pgettext_lazy("register wording", "Present at the birth"),
    "Person responsible for the child": pgettext_lazy("register wording", "Person responsible for the child"),
    "Person having charge of the body": pgettext_lazy("register wording", "Person having charge of the body"),
    "Relative, present at the death": pgettext_lazy("register wording", "Relative, present at the death"),
    "Relative": pgettext_lazy("register wording", "Relative"),
    "Present at the death": pgettext_lazy("register wording", "Present at the death"),
    "Causing the disposal": pgettext_lazy("register wording", "Causing the disposal"),
}


def _people_in_words(value: Any) -> str:
    """A list of people as "Ann Morgan (Nurse); David Morgan"; a record as its parts in words."""
    if isinstance(value, list):
        return "; ".join(_people_in_words(item) for item in value if item)
    if isinstance(value, dict):
        name = " ".join(str(value[key]) for key in ("forenames", "surname", "name") if value.get(key))
        about = ", ".join(str(value[key]) for key in ("occupation", "role") if value.get(key))
        if name:
            return f"{name} ({about})" if about else name
        parts = [str(value[key]) for key in ("entry",) if value.get(key)]
        parts += [in_words_date(value[key]) for key in ("formed_on", "declared_on") if value.get(key)]
        return ", ".join(parts) or ", ".join(str(item) for item in value.values() if item)
    return "" if value is None else str(value)


def particular_in_words(particular: Particular, value: Any) -> str:
    """A particular's value in words (empty when the register holds nothing for it)."""
    if value in (None, "", [], {}):
        return "" if particular.kind != "yes_no" else yes_no(False)
    if particular.kind == "date":
        return in_words_date(value)
    if particular.kind == "yes_no":
        return yes_no(value)
    if particular.kind == "sex":
        return str(SEX_WORDS.get(str(value).lower(), value))
    if particular.kind == "choice":
        return str((particular.choices or {}).get(str(value), value))
    if particular.kind == "register_words":
        return str(REGISTER_WORDS.get(str(value), value))
    if particular.kind == "people":
        return _people_in_words(value)
    if particular.kind == "grams":
        return gettext("%(grams)s grams") % {"grams": value}
    if particular.kind == "weeks":
        return gettext("%(weeks)s weeks") % {"weeks": value}
    return _people_in_words(value)


def particular_named(event: str, key: str) -> Particular:
    """The particular `key` of an entry of `event`; a key the tables do not list is labelled from
    its own words."""
    for _title, particulars in PARTICULARS.get(event, []):
        for particular in particulars:
            if particular.key == key:
                return particular
    return Particular(key, _text(key.replace("_", " ").strip().capitalize()))


def particular_label(event: str, key: str) -> str:
    return particular_named(event, key).label()


def particular_choice_label(event: str, key: str) -> str:
    """A particular named with its group ("The mother: Surname"), for a list of every particular."""
    for title, particulars in PARTICULARS.get(event, []):
        for particular in particulars:
            if particular.key == key:
                return gettext("%(group)s: %(particular)s") % {"group": title, "particular": particular.label()}
    return particular_label(event, key)


def event_date_label(event: str) -> str:
    """What the date of a registration's event is called on staff pages."""
    if event == Event.BIRTH:
        return plain_label(ChildForm.base_fields["date_of_birth"].label)
    if event == Event.STILLBIRTH:
        return gettext("Date of the stillbirth")
    return plain_label(DeathForm.base_fields["date_of_death"].label)


def format_particular(event: str, key: str, value: Any) -> str:
    """One particular of an entry of `event` in words, as certificates and staff pages show it."""
    return particular_in_words(particular_named(event, key), value)


@dataclass(frozen=True)
class ParticularRow:
    key: str
    label: str
    registered: str
    now: str


@dataclass(frozen=True)
class ParticularSection:
    title: str
    rows: list[ParticularRow]


def particular_sections(event: str, registered: dict, now: dict | None = None) -> list[ParticularSection]:
    """An entry's particulars grouped as the register groups them (the child, the mother…), as
    registered and as they now read with corrections, in words. Particulars empty in both are
    left out; any the tables do not list come last, under "Other particulars"."""
    now = registered if now is None else now
    listed: set[str] = set()
    sections = []

    def rows_of(particulars: Iterable[Particular]) -> list[ParticularRow]:
        rows = []
        for particular in particulars:
            listed.add(particular.key)
            if particular.key not in registered and particular.key not in now:
                continue
            first = particular_in_words(particular, registered.get(particular.key))
            second = particular_in_words(particular, now.get(particular.key))
            if particular.kind == "yes_no" and not registered.get(particular.key) and not now.get(particular.key):
                first = second = yes_no(False)
            if not first and not second:
                continue
            rows.append(ParticularRow(particular.key, particular.label(), first or "—", second or "—"))
        return rows

    for title, particulars in PARTICULARS.get(event, []):
        rows = rows_of(particulars)
        if rows:
            sections.append(ParticularSection(str(title), rows))
    others = [key for key in sorted({*registered, *now}) if key not in listed]
    rows = rows_of(particular_named(event, key) for key in others)
    if rows:
        sections.append(ParticularSection(gettext("Other particulars"), rows))
    return sections


def entry_particulars_in_words(event: str, particulars: dict) -> list[dict[str, Any]]:
    """An entry's particulars as certificates print them: by group, each labelled and in words."""
    return [
        {
            "title": section.title,
            "rows": [{"key": row.key, "label": row.label, "value": row.registered} for row in section.rows],
        }
        for section in particular_sections(event, particulars)
    ]
