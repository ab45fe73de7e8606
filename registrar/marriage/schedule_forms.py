"""The forms of the ceremony day: one form records what the signed schedule says (the parties
confirmed, the date and place, the officiants, the two witnesses, corrections, the signatures),
used by the on-the-day page, the paper schedule page, the staff API and the authorised person's
return (bound with `core.forms.bind_json`). Also: the ceremony that did not take place, and the
new booking after it."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, fill_in_later, setting_later

from ..models import Notice
from . import rules
from .schedule_services import DayRecord

PARTY_FIELD_LABELS = {
    "forenames": _("forenames"),
    "surname": _("surname"),
    "date_of_birth": _("date of birth (as YYYY-MM-DD)"),
    "condition": _("condition"),
    "occupation": _("occupation"),
    "address": _("address"),
}


def correction_choices() -> list[tuple[str, str]]:
    choices = [("", _("No correction"))]
    for position in (1, 2):
        for name, label in PARTY_FIELD_LABELS.items():
            choices.append((f"party{position}_{name}", _("Party %(n)s: %(what)s") % {"n": position, "what": label}))
    return choices


def _text(label, required_message, *, required=True, max_length=200, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": required_message,
            "max_length": fill_in_later(
                _("%(what)s must be %(n)s characters or fewer"), {"what": label, "n": str(max_length)}, True
            ),
        },
        **kwargs,
    )


def _corrected(which: str, value: str) -> tuple[str, object]:
    """The corrected value as stored, and a problem with it: a date of birth must be a real date
    in the past (stored as ISO), a condition one of the three (typed in words, stored as its code)."""
    if which.endswith("_date_of_birth"):
        try:
            born = date.fromisoformat(value)
        except ValueError:
            return value, _("Enter the corrected date of birth as YYYY-MM-DD, like 1990-03-11")
        if born >= timezone.localdate():
            return value, _("The corrected date of birth must be in the past")
        return born.isoformat(), None
    if which.endswith("_condition"):
        for code, label in Notice.Condition.choices:
            if value.casefold() in (code.casefold(), str(label).casefold()):
                return code, None
        return value, fill_in_later(
            _("Enter the corrected condition as one of: %(values)s"),
            {"values": "; ".join(str(label) for _code, label in Notice.Condition.choices)},
        )
    return value, None


class ScheduleDayForm(GovukForm):
    """What the signed schedule records. `officiants_needed` is 2 for a civil ceremony (a
    superintendent registrar and a registrar) and 1 for a religious one."""

    submit_label = _("Register")

    parties_confirmed = forms.BooleanField(
        label=_("I have confirmed who both parties are"),
        error_messages={"required": _("Confirm who both parties are")},
    )
    ceremony_date = GovukDateField(label=_("Date of the ceremony"), what=_("the date of the ceremony"))
    ceremony_place = _text(_("Place of the ceremony"), _("Enter the place of the ceremony"), max_length=300)
    officiant_1_name = _text(_("First officiant's full name"), _("Enter the first officiant's full name"))
    officiant_1_role = _text(
        _("First officiant's role"),
        _("Enter the first officiant's role"),
        help_text=_("For example, Superintendent registrar or Vicar"),
    )
    officiant_2_name = _text(
        _("Second officiant's full name"), _("Enter the second officiant's full name"), required=False
    )
    officiant_2_role = _text(_("Second officiant's role"), _("Enter the second officiant's role"), required=False)
    witness_1_name = _text(_("First witness's full name"), _("Enter the first witness's full name"))
    witness_1_date_of_birth = GovukDateField(
        label=_("First witness's date of birth"), what=_("the first witness's date of birth")
    )
    witness_2_name = _text(_("Second witness's full name"), _("Enter the second witness's full name"))
    witness_2_date_of_birth = GovukDateField(
        label=_("Second witness's date of birth"), what=_("the second witness's date of birth")
    )
    correction_1_field = forms.ChoiceField(
        label=_("Correction: which particular (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Select a particular to correct from the list")},
    )
    correction_1_value = _text(
        _("Correction: the corrected value"), _("Enter the corrected value"), required=False, max_length=300
    )
    correction_2_field = forms.ChoiceField(
        label=_("Second correction: which particular (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Select a particular to correct from the list")},
    )
    correction_2_value = _text(
        _("Second correction: the corrected value"), _("Enter the corrected value"), required=False, max_length=300
    )
    signed = forms.BooleanField(
        label=_("The schedule was signed by both parties, both witnesses and the officiants"),
        error_messages={"required": _("Confirm that everyone signed the schedule")},
    )

    def __init__(self, *args, officiants_needed: int = 2, submit_label=None, **kwargs) -> None:
        self.officiants_needed = officiants_needed
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        for name in ("correction_1_field", "correction_2_field"):
            self.fields[name].choices = correction_choices()

    def layout_fields(self) -> list:
        return [
            Field.checkbox("parties_confirmed"),
            Fieldset(
                Field("ceremony_date"), Field.text("ceremony_place"), legend=_("The ceremony"), legend_size=Size.MEDIUM
            ),
            Fieldset(
                Field.text("officiant_1_name"),
                Field.text("officiant_1_role"),
                Field.text("officiant_2_name"),
                Field.text("officiant_2_role"),
                legend=_("Officiants"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("witness_1_name"),
                Field("witness_1_date_of_birth"),
                Field.text("witness_2_name"),
                Field("witness_2_date_of_birth"),
                legend=_("Witnesses"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("correction_1_field"),
                Field.text("correction_1_value"),
                Field.select("correction_2_field"),
                Field.text("correction_2_value"),
                legend=_("Corrections of particulars"),
                legend_size=Size.MEDIUM,
            ),
            Field.checkbox("signed"),
        ]

    def clean_ceremony_date(self):
        day = self.cleaned_data.get("ceremony_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date of the ceremony cannot be in the future"))
        return day

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("ceremony_date")
        if self.officiants_needed > 1:
            if not cleaned.get("officiant_2_name"):
                self.add_error("officiant_2_name", _("Enter the second officiant's full name"))
            if not cleaned.get("officiant_2_role"):
                self.add_error("officiant_2_role", _("Enter the second officiant's role"))
        elif bool(cleaned.get("officiant_2_name")) != bool(cleaned.get("officiant_2_role")):
            missing = "officiant_2_role" if cleaned.get("officiant_2_name") else "officiant_2_name"
            self.add_error(missing, _("Give both the second officiant's name and role, or neither"))
        for n in (1, 2):
            born = cleaned.get(f"witness_{n}_date_of_birth")
            if born and day and rules.age_on(born, day) < settings.WITNESS_MINIMUM_AGE:
                self.add_error(
                    f"witness_{n}_date_of_birth",
                    fill_in_later(
                        _("Each witness must be %(age)s or over on the day of the ceremony"),
                        {"age": setting_later("WITNESS_MINIMUM_AGE")},
                    ),
                )
            which, value = cleaned.get(f"correction_{n}_field"), (cleaned.get(f"correction_{n}_value") or "").strip()
            if which and not value:
                self.add_error(f"correction_{n}_value", _("Enter the corrected value"))
            if value and not which:
                self.add_error(f"correction_{n}_field", _("Select which particular the correction is of"))
            if which and value:
                stored, problem = _corrected(which, value)
                if problem:
                    self.add_error(f"correction_{n}_value", problem)
                else:
                    cleaned[f"correction_{n}_value"] = stored
        if cleaned.get("correction_1_field") and cleaned.get("correction_1_field") == cleaned.get("correction_2_field"):
            self.add_error("correction_2_field", _("Correct each particular once"))
        return cleaned

    def record(self) -> DayRecord:
        data = self.cleaned_data
        officiants = [{"name": data["officiant_1_name"].strip(), "role": data["officiant_1_role"].strip()}]
        if data.get("officiant_2_name"):
            officiants.append({"name": data["officiant_2_name"].strip(), "role": data["officiant_2_role"].strip()})
        corrections = [
            {"field": data[f"correction_{n}_field"], "value": data[f"correction_{n}_value"].strip()}
            for n in (1, 2)
            if data.get(f"correction_{n}_field")
        ]
        return DayRecord(
            ceremony_date=data["ceremony_date"],
            ceremony_place=data["ceremony_place"].strip(),
            officiants=officiants,
            witnesses=[data["witness_1_name"].strip(), data["witness_2_name"].strip()],
            corrections=corrections,
            signed=bool(data["signed"]),
        )


class NotTakenPlaceForm(GovukForm):
    submit_label = _("Record that the ceremony did not take place")
    submit_style = "warning"  # pressed by mistake, it would stop the couple being registered

    reason = _text(
        _("Why did the ceremony not take place?"),
        _("Enter why the ceremony did not take place"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def layout_fields(self) -> list:
        return [Field.textarea("reason")]


class RebookForm(GovukForm):
    """A new ceremony after one that did not take place: its booking (civil) or date (religious)."""

    submit_label = _("Issue the schedule again")

    booking = _text(
        _("Reference of the new ceremony booking"),
        _("Enter the reference of the new ceremony booking"),
        required=False,
        max_length=20,
    )
    intended_date = GovukDateField(
        label=_("Date of the new ceremony"), what=_("the date of the new ceremony"), required=False
    )

    def __init__(self, *args, religious: bool = False, **kwargs) -> None:
        self.religious = religious
        super().__init__(*args, **kwargs)
        if religious:
            del self.fields["booking"]
            self.fields["intended_date"].required = True
        else:
            del self.fields["intended_date"]
            self.fields["booking"].required = True

    def layout_fields(self) -> list:
        return [Field("intended_date")] if self.religious else [Field.text("booking", field_width=10)]
