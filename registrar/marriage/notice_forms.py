"""The forms of giving notice online: one per question page (the steps of `answers.py`), each
checking its rules at once with the refusal's own words, and the forms that start a proposal,
invite the other person and upload the evidence that an earlier marriage ended. The API binds
the same forms to JSON (`core.forms.bind_json`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from booking import rules as booking_rules
from core.forms import YES_NO, GovukDateField, GovukForm, fill_in_later, setting_later, yes_no_field
from core.names import name_field
from core.places import normalise_postcode

from ..forms.common import EARLIEST_DATE, text_field
from ..models import Notice, Proposal
from . import notice_selectors as selectors
from . import rules
from .refusals import MarriageRefused

KINDS = [(Proposal.Kind.MARRIAGE.value, _("Marriage")), (Proposal.Kind.CIVIL_PARTNERSHIP.value, _("Civil partnership"))]
ENDINGS = [
    ("divorce", _("Divorce (final order or decree absolute)")),
    ("dissolution", _("Dissolution of a civil partnership (final order)")),
    ("annulment", _("Annulment (final order or decree absolute)")),
]
NATIONALITIES = [("british", _("British")), ("irish", _("Irish")), ("other", _("Another nationality"))]
STATUSES = [
    ("settled", _("Settled status (indefinite leave to remain)")),
    ("pre_settled", _("Pre-settled status")),
    ("marriage_visa", _("A marriage visitor visa or fiancé(e) visa")),
    ("other", _("Something else, or none")),
]


def _radios(label, choices, message, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def _past(value: date | None, what: str, today: date) -> date | None:
    if value is None:
        return None
    if value > today:
        raise forms.ValidationError(_("%(what)s must be today or in the past") % {"what": what})
    if value < EARLIEST_DATE:
        raise forms.ValidationError(_("%(what)s must be after 1 January 1900") % {"what": what})
    return value


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class NoticeStepForm(GovukForm):
    """A question page of one person's notice."""

    step = ""

    def __init__(self, *args, notice: Notice, today: date | None = None, **kwargs) -> None:
        self.notice = notice
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def answer_values(self) -> dict[str, Any]:
        """What this page saves under its key of `Notice.answers`."""
        return {name: _json(value) for name, value in self.cleaned_data.items()}

    @classmethod
    def initial_from(cls, section: dict[str, Any], **kwargs) -> dict[str, Any]:
        """The saved answers shown again in the form."""
        initial: dict[str, Any] = {}
        for name, field in cls(**kwargs).fields.items():
            if name not in section:
                continue
            saved = section[name]
            if isinstance(field, GovukDateField):
                initial[name] = date.fromisoformat(saved) if saved else None
            elif isinstance(field, forms.TypedChoiceField) and field.choices == YES_NO:
                initial[name] = None if saved is None else ("yes" if saved else "no")
            else:
                initial[name] = saved
        return initial

    @staticmethod
    def from_json(payload: dict[str, Any]) -> dict[str, Any]:
        """The API's body as the fields of this form (the same names, except where a page needs
        several fields for one answer)."""
        return payload


class NamesForm(NoticeStepForm):
    step = "names"
    forenames = name_field(_("First and middle names"), _("Enter your first name"), column="forenames")
    surname = name_field(_("Surname"), _("Enter your surname"), column="surname")

    def layout_fields(self) -> list:
        return [
            Field.text("forenames", field_width=Fluid.TWO_THIRDS, autocomplete="given-name"),
            Field.text("surname", field_width=Fluid.TWO_THIRDS, autocomplete="family-name"),
        ]


class DateOfBirthForm(NoticeStepForm):
    step = "date_of_birth"
    date_of_birth = GovukDateField(
        label=_("Date of birth"), what=_("your date of birth"), help_text=_("For example, 27 3 1990")
    )

    def clean_date_of_birth(self) -> date | None:
        born = _past(self.cleaned_data.get("date_of_birth"), _("Your date of birth"), self.today)
        ceremony = selectors.ceremony_date(self.notice.proposal)
        if born and ceremony and not rules.old_enough_to_marry(born, ceremony):
            raise forms.ValidationError(MarriageRefused("too_young").message)
        return born

    def layout_fields(self) -> list:
        return [Field("date_of_birth", legend_size=Size.SMALL)]


class ConditionForm(NoticeStepForm):
    step = "condition"
    condition = _radios(
        _("Have you been married or in a civil partnership before?"),
        Notice.Condition.choices,
        _("Select whether you have been married or in a civil partnership before"),
    )
    former_partner = text_field(
        _("Your former spouse's or civil partner's full name"),
        _("Enter your former spouse's or civil partner's full name"),
        max_length=200,
        required=False,
    )
    how_ended = _radios(
        _("If divorced or dissolved: how did it end?"),
        ENDINGS,
        _("Select how the marriage or civil partnership ended"),
        required=False,
    )
    ended_on = GovukDateField(
        label=_("The date it ended"),
        what=_("the date it ended"),
        help_text=_("The date of the final order, or the date of death"),
        required=False,
    )
    died_in_england_or_wales = yes_no_field(
        _("If widowed: did they die in England or Wales?"),
        _("Select yes if they died in England or Wales"),
        required=False,
    )
    former_partner_born = GovukDateField(
        label=_("If widowed: their date of birth (optional)"),
        what=_("their date of birth"),
        help_text=_("This helps us find the death in the register"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        condition = data.get("condition")
        if not condition or condition == Notice.Condition.NEVER:
            return data
        if not data.get("former_partner"):
            self.add_error("former_partner", _("Enter your former spouse's or civil partner's full name"))
        if not data.get("ended_on") and "ended_on" not in self.errors:
            self.add_error("ended_on", _("Enter the date it ended"))
        if condition == Notice.Condition.DIVORCED and not data.get("how_ended"):
            self.add_error("how_ended", _("Select how the marriage or civil partnership ended"))
        if condition == Notice.Condition.WIDOWED and data.get("died_in_england_or_wales") is None:
            self.add_error("died_in_england_or_wales", _("Select yes if they died in England or Wales"))
        return data

    def clean_ended_on(self):
        return _past(self.cleaned_data.get("ended_on"), _("The date it ended"), self.today)

    def clean_former_partner_born(self):
        return _past(self.cleaned_data.get("former_partner_born"), _("Their date of birth"), self.today)

    def answer_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["condition"] == Notice.Condition.NEVER:
            return {"condition": data["condition"]}
        values = {
            "condition": data["condition"],
            "former_partner": data["former_partner"],
            "ended_on": _json(data["ended_on"]),
        }
        if data["condition"] == Notice.Condition.WIDOWED:
            values.update(
                how_ended="death",
                died_in_england_or_wales=bool(data["died_in_england_or_wales"]),
                former_partner_born=_json(data.get("former_partner_born")),
            )
        else:
            values["how_ended"] = data["how_ended"]
        return values

    def layout_fields(self) -> list:
        return [
            Field.radios("condition", legend_size=Size.MEDIUM),
            Field.text("former_partner", field_width=Fluid.TWO_THIRDS),
            Field.radios("how_ended", legend_size=Size.SMALL),
            Field("ended_on", legend_size=Size.SMALL),
            Field.radios("died_in_england_or_wales", legend_size=Size.SMALL, inline=True),
            Field("former_partner_born", legend_size=Size.SMALL),
        ]


class OccupationForm(NoticeStepForm):
    step = "occupation"
    occupation = text_field(
        _("Your occupation"),
        "",
        max_length=100,
        required=False,
        help_text=_("Leave this empty if you have none"),
    )

    def layout_fields(self) -> list:
        return [Field.text("occupation", field_width=Fluid.TWO_THIRDS, autocomplete="organization-title")]


class AddressForm(NoticeStepForm):
    step = "address"
    address = text_field(
        _("Your address"), _("Enter your address"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = text_field(_("Postcode"), _("Enter your postcode"), max_length=10)
    lived_there_since = GovukDateField(
        label=_("When did you start living there?"),
        what=_("the date you started living there"),
        help_text=fill_in_later(
            _("You must have lived there for %(days)s full days before you give notice"),
            {"days": setting_later("NOTICE_RESIDENCE_DAYS")},
        ),
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        normalised = normalise_postcode(value) if value else ""
        if value and normalised is None:
            raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD"))
        return normalised or ""

    def clean_lived_there_since(self):
        return _past(self.cleaned_data.get("lived_there_since"), _("The date you started living there"), self.today)

    def layout_fields(self) -> list:
        return [
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
            Field("lived_there_since", legend_size=Size.SMALL),
        ]


class NationalityForm(NoticeStepForm):
    step = "nationality"
    nationality = _radios(_("Your nationality"), NATIONALITIES, _("Select your nationality"))
    other_nationality = text_field(_("If another nationality: which?"), "", max_length=100, required=False)
    immigration_status = _radios(
        _("If not British or Irish: your immigration status"),
        STATUSES,
        _("Select your immigration status"),
        required=False,
    )
    immigration_reference = text_field(
        _("Your Home Office reference or share code (optional)"), "", max_length=60, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("nationality") == "other":
            if not data.get("other_nationality"):
                self.add_error("other_nationality", _("Enter your nationality"))
            if not data.get("immigration_status"):
                self.add_error("immigration_status", _("Select your immigration status"))
        elif data.get("nationality"):
            data["other_nationality"] = ""
            data["immigration_status"] = ""
        return data

    def layout_fields(self) -> list:
        return [
            Field.radios("nationality", legend_size=Size.MEDIUM),
            Field.text("other_nationality", field_width=Fluid.TWO_THIRDS),
            Field.radios("immigration_status", legend_size=Size.SMALL),
            Field.text("immigration_reference", field_width=Fluid.ONE_THIRD),
        ]


class VenueForm(NoticeStepForm):
    step = "venue"
    confirmed = yes_no_field(_("Is this where the ceremony will be?"), _("Select yes if this is the venue"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.venue = selectors.venue_words(self.notice.proposal)
        self.fields["confirmed"].help_text = self.venue

    def clean_confirmed(self):
        confirmed = self.cleaned_data.get("confirmed")
        if confirmed is False:
            raise forms.ValidationError(MarriageRefused("different_venue").message)
        return confirmed

    def layout_fields(self) -> list:
        return [Field.radios("confirmed", legend_size=Size.MEDIUM, inline=True)]


class ParentsForm(NoticeStepForm):
    """Up to NOTICE_PARENTS_MAX parents, one row each, at least one: a page of plain rows, so it
    works without JavaScript. The API sends `{"parents": [{"forenames", "surname", "occupation"}]}`."""

    step = "parents"
    PART = ("forenames", "surname", "occupation")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in self.rows():
            self.fields[f"parent_{row}_forenames"] = name_field(
                _("First and middle names"), column="forenames", required=False
            )
            self.fields[f"parent_{row}_surname"] = name_field(_("Surname"), column="surname", required=False)
            self.fields[f"parent_{row}_occupation"] = text_field(
                _("Occupation (optional)"), "", max_length=100, required=False
            )
        # The layout was made before the rows existed.
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def rows(self) -> range:
        return range(1, settings.NOTICE_PARENTS_MAX + 1)

    def clean(self):
        data = super().clean()
        parents = []
        for row in self.rows():
            values = {part: (data.get(f"parent_{row}_{part}") or "").strip() for part in self.PART}
            if not any(values.values()):
                continue
            if not values["forenames"]:
                self.add_error(f"parent_{row}_forenames", _("Enter the first name of parent %(row)s") % {"row": row})
            if not values["surname"]:
                self.add_error(f"parent_{row}_surname", _("Enter the surname of parent %(row)s") % {"row": row})
            parents.append(values)
        if not parents:
            self.add_error("parent_1_forenames", _("Enter the name of at least one parent"))
        self.parents = parents
        return data

    def answer_values(self) -> dict[str, Any]:
        return {"parents": self.parents}

    @classmethod
    def initial_from(cls, section: dict[str, Any], **kwargs) -> dict[str, Any]:
        initial = {}
        for row, parent in enumerate(section.get("parents", []), start=1):
            for part in cls.PART:
                initial[f"parent_{row}_{part}"] = parent.get(part, "")
        return initial

    @staticmethod
    def from_json(payload: dict[str, Any]) -> dict[str, Any]:
        parents = payload.get("parents")
        if not isinstance(parents, list):
            return {}
        flat: dict[str, Any] = {}
        for row, parent in enumerate(parents[: settings.NOTICE_PARENTS_MAX], start=1):
            if not isinstance(parent, dict):
                continue
            for part in ParentsForm.PART:
                if part in parent:
                    flat[f"parent_{row}_{part}"] = parent[part]
        return flat

    def layout_fields(self) -> list:
        return [
            Fieldset(
                Field.text(f"parent_{row}_forenames", field_width=Fluid.TWO_THIRDS),
                Field.text(f"parent_{row}_surname", field_width=Fluid.TWO_THIRDS),
                Field.text(f"parent_{row}_occupation", field_width=Fluid.TWO_THIRDS),
                legend=_("Parent %(row)s") % {"row": row},
                legend_size=Size.MEDIUM,
            )
            for row in self.rows()
            if f"parent_{row}_forenames" in self.fields
        ]


class DeclarationForm(NoticeStepForm):
    step = "declaration"
    confirmed = forms.BooleanField(
        label=_(
            "I declare that I know of no lawful reason why I may not marry or form a civil partnership, and that "
            "the information I have given is true"
        ),
        error_messages={
            "required": _("Confirm the declaration to continue"),
            "invalid_choice": _("Confirm the declaration to continue"),
        },
    )

    def answer_values(self) -> dict[str, Any]:
        return {"declared_at": timezone.now().isoformat()}

    @classmethod
    def initial_from(cls, section: dict[str, Any], **kwargs) -> dict[str, Any]:
        return {"confirmed": bool(section.get("declared_at"))}

    def layout_fields(self) -> list:
        return [Field.checkbox("confirmed")]


STEP_FORMS: dict[str, type[NoticeStepForm]] = {
    form.step: form
    for form in (
        NamesForm,
        DateOfBirthForm,
        ConditionForm,
        OccupationForm,
        AddressForm,
        NationalityForm,
        VenueForm,
        ParentsForm,
        DeclarationForm,
    )
}

STEP_TITLES = {
    "names": _("Your name"),
    "date_of_birth": _("Your date of birth"),
    "condition": _("Marriages and civil partnerships before"),
    "occupation": _("Your occupation"),
    "address": _("Your address"),
    "nationality": _("Your nationality and immigration status"),
    "venue": _("The venue"),
    "parents": _("Your parents"),
    "declaration": _("Your declaration"),
}


# --- Starting, inviting, evidence ----------------------------------------------------------------


class BookingKindForm(GovukForm):
    """Starting from a provisional ceremony booking: marriage or civil partnership."""

    submit_label = _("Start giving notice")
    kind = _radios(_("Is this a marriage or a civil partnership?"), KINDS, _("Select marriage or civil partnership"))

    def layout_fields(self) -> list:
        return [Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2")]


class ReligiousForm(GovukForm):
    """A religious marriage: the building named in the notices and the date intended."""

    submit_label = _("Start giving notice")
    building_name = text_field(
        _("Name of the church or religious building"), _("Enter the name of the building"), max_length=120
    )
    building_address = text_field(
        _("Its address"),
        _("Enter the address of the building"),
        max_length=150,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    postcode = text_field(_("Its postcode"), _("Enter the postcode of the building"), max_length=10)
    intended_date = GovukDateField(
        label=_("The date you intend to marry"),
        what=_("the date you intend to marry"),
        help_text=_("For example, 27 3 2027"),
    )

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        normalised = normalise_postcode(value) if value else ""
        if value and normalised is None:
            raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD"))
        return normalised or ""

    def clean_intended_date(self):
        value = self.cleaned_data.get("intended_date")
        earliest = booking_rules.earliest_provisional_ceremony_date(self.today)
        # Notice given from today is good for 12 months.
        latest = booking_rules.latest_ceremony_date(self.today)
        if value and not earliest <= value <= latest:
            raise forms.ValidationError(
                _("The date must be between %(earliest)s and %(latest)s, to leave time for notice and the wait")
                % {"earliest": date_format(earliest, "j F Y"), "latest": date_format(latest, "j F Y")}
            )
        return value

    def layout_fields(self) -> list:
        return [
            Field.text("building_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("building_address"),
            Field.text("postcode", field_width=Fixed.TEN),
            Field("intended_date", legend_size=Size.SMALL),
        ]


class InviteForm(GovukForm):
    submit_label = _("Send the invitation")
    email = forms.EmailField(
        label=_("The other person's email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the other person's email address"),
            "invalid": _("Enter an email address in the right format, like name@example.com"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="email")]


class EvidenceForm(GovukForm):
    submit_label = _("Upload")
    photo = forms.FileField(
        label=_("A photo of the document"),
        error_messages={
            "required": _("Choose a photo of the document"),
            "empty": _("The selected file is empty. Choose a photo of the document."),
            "invalid": _("Choose a photo of the document"),
        },
    )

    def layout_fields(self) -> list:
        return [Field("photo")]
