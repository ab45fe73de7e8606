"""Forms for signing in and contact details, with GOV.UK error messages."""

from __future__ import annotations

import re

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, fill_in_later
from core.names import name_field
from core.places import normalise_postcode

from . import case_display, checks
from .assisted import normalise_consent_code
from .cases import FRAUD_REASONS
from .models import AddressDocumentType, CaseDecision, DocumentType

UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")


def normalise_uk_mobile(value: str) -> str | None:
    """'07700 900 982', '+44 7700 900982' -> '+447700900982'; None when not a UK mobile."""
    compact = re.sub(r"[\s\-()]", "", value or "")
    if not UK_MOBILE.match(compact):
        return None
    return "+44" + compact[-10:]


class EmailForm(GovukForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="email", spellcheck="false")]


class CodeForm(GovukForm):
    code = forms.CharField(
        label=_("Security code"),
        help_text=_("The code is 6 numbers"),
        max_length=20,
        error_messages={"required": _("Enter the security code")},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("The security code must be 6 numbers"))
        return code

    def layout_fields(self) -> list:
        return [Field.text("code", field_width=Fixed.FIVE, inputmode="numeric", autocomplete="one-time-code")]


class MobileForm(GovukForm):
    mobile_number = forms.CharField(
        label=_("UK mobile phone number"),
        help_text=_("We will send a 6-number code to this phone"),
        max_length=30,
        error_messages={"required": _("Enter a UK mobile phone number")},
    )

    def clean_mobile_number(self) -> str:
        normalised = normalise_uk_mobile(self.cleaned_data["mobile_number"])
        if normalised is None:
            raise forms.ValidationError(_("Enter a UK mobile phone number, like 07700 900 982"))
        return normalised

    def layout_fields(self) -> list:
        return [Field.text("mobile_number", field_width=Fluid.ONE_THIRD, autocomplete="tel", inputmode="tel")]


class StaffPasswordForm(GovukForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )

    def layout_fields(self) -> list:
        return [
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="username", spellcheck="false"),
            Field.text("password", field_width=Fixed.TWENTY, autocomplete="current-password"),
        ]


class AuthenticatorCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The code is 6 numbers and changes every 30 seconds"),
        max_length=20,
        error_messages={"required": _("Enter the code from your authenticator app")},
    )


# --- Identity check journey ------------------------------------------------------------------------


class DocumentTypeForm(GovukForm):
    document_type = forms.ChoiceField(
        label=_("Which document do you want to use?"),
        choices=DocumentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the document you want to use")},
    )

    def layout_fields(self) -> list:
        return [Field.radios("document_type", legend_size=Size.LARGE, legend_tag="h1")]


class IdentityDocumentForm(GovukForm):
    # The names as the document shows them; they go on to a register, so the register's rule.
    given_names = name_field(_("Given names"), _("Enter your given names"), column="forenames")
    surname = name_field(_("Surname"), _("Enter your surname"), column="surname")
    birth_date = GovukDateField(
        label=_("Date of birth"), what=_("your date of birth"), help_text=_("For example, 27 3 1990")
    )
    document_number = forms.CharField(
        label=_("Document number"), max_length=20, error_messages={"required": _("Enter the document number")}
    )
    expiry_date = GovukDateField(label=_("Expiry date"), what=_("the expiry date"))

    def __init__(self, *args, passport: bool, other: bool = False, **kwargs) -> None:
        self.passport = passport
        super().__init__(*args, **kwargs)
        if other:
            # Another document (a passport from another country, a national identity card, a
            # residence permit): a registrar checks it from its photo, and not every one expires.
            self.fields["document_number"].help_text = _(
                "As it is printed on the document, for example the passport or card number"
            )
            self.fields["expiry_date"].required = False
            self.fields["expiry_date"].label = _("Expiry date (if it has one)")
        if passport:
            hint = _("The 2 lines of letters, numbers and < at the bottom of the photo page, 44 characters each")
            self.fields["mrz_line1"] = forms.CharField(
                label=_("First line"),
                max_length=60,
                help_text=hint,
                error_messages={"required": _("Enter the first line")},
            )
            self.fields["mrz_line2"] = forms.CharField(
                label=_("Second line"), max_length=60, error_messages={"required": _("Enter the second line")}
            )
            self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def clean(self):
        data = super().clean()
        for name in ("mrz_line1", "mrz_line2"):
            if data.get(name) and len(checks.normalise_mrz_line(data[name])) != 44:
                self.add_error(name, _("Each line must be 44 characters. Check you typed all of them, including <"))
        return data

    def layout_fields(self) -> list:
        fields = [
            Field.text("given_names", field_width=Fluid.TWO_THIRDS, autocomplete="given-name"),
            Field.text("surname", field_width=Fluid.TWO_THIRDS, autocomplete="family-name"),
            Field("birth_date"),
            Field.text("document_number", field_width=Fixed.TWENTY, spellcheck="false"),
            Field("expiry_date"),
        ]
        if getattr(self, "passport", False):
            fields += [
                Field.text("mrz_line1", field_width=Fluid.FULL, spellcheck="false", autocapitalize="characters"),
                Field.text("mrz_line2", field_width=Fluid.FULL, spellcheck="false", autocapitalize="characters"),
            ]
        return fields


class PhotoForm(GovukForm):
    photo = forms.FileField(
        label=_("Upload a photo"),
        help_text=_("A clear photo of the whole page, in good light, as a JPG, PNG or WebP file smaller than 10MB"),
        error_messages={"required": _("Select a photo"), "empty": _("The selected file is empty")},
    )

    def layout_fields(self) -> list:
        return [Field("photo")]


class SelfieForm(GovukForm):
    """The photo of the person's face. `capture="user"` opens the front camera on phones, with no
    JavaScript; a computer offers its files."""

    photo = forms.FileField(
        label=_("Photo of your face"),
        help_text=_(
            "Only your face, looking straight at the camera, in good light: a JPG, PNG or WebP file smaller than 10MB"
        ),
        error_messages={"required": _("Select or take a photo of your face"), "empty": _("The selected file is empty")},
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "user"}),
    )

    def layout_fields(self) -> list:
        return [Field("photo")]


class AddressForm(GovukForm):
    address = forms.CharField(
        label=_("Your address"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter your address")},
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=20, error_messages={"required": _("Enter your postcode")}
    )
    document_type = forms.ChoiceField(
        label=_("Which document shows your address?"),
        choices=AddressDocumentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the document that shows your address")},
    )
    document_name = name_field(_("Name on the document"), _("Enter the name on the document"), column="full_name")
    document_postcode = forms.CharField(
        label=_("Postcode on the document"),
        max_length=20,
        error_messages={"required": _("Enter the postcode on the document")},
    )
    issued_on = GovukDateField(label=_("Date on the document"), what=_("the date on the document"))

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value is None:
            raise forms.ValidationError(checks.REASONS["postcode_format"])
        return value

    def clean_document_postcode(self) -> str:
        # A wrong postcode on the document is a check result, not a typing error; only the
        # format is checked here so that it fits what we store.
        value = normalise_postcode(self.cleaned_data["document_postcode"])
        if value is None:
            raise forms.ValidationError(checks.REASONS["postcode_format"])
        return value

    def layout_fields(self) -> list:
        return [
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
            Field.radios("document_type", legend_size=Size.MEDIUM),
            Field.text("document_name", field_width=Fluid.TWO_THIRDS),
            Field.text("document_postcode", field_width=Fixed.TEN),
            Field("issued_on"),
        ]


class QueueFilterForm(forms.Form):
    """Filters of the registrar's identity queue (GET). `offices` are the ones the registrar
    works in, so a filter cannot name another office."""

    office = forms.ChoiceField(
        label=_("Office"), required=False, error_messages={"invalid_choice": _("Select one of your offices")}
    )
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, error_messages={"invalid_choice": _("Select one of the reasons listed")}
    )
    older_than_days = forms.IntegerField(
        label=_("Waiting at least (days)"), required=False, min_value=0, max_value=3650
    )

    def __init__(self, *args, offices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All my offices"))] + [(o.code, o.name) for o in offices]
        reasons = sorted((case_display.reason_label(r), r) for r in set(checks.REASONS) | set(FRAUD_REASONS))
        self.fields["reason"].choices = [("", _("Any reason"))] + [(code, words) for words, code in reasons]


class DecisionForm(GovukForm):
    submit_label = _("Record decision")
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=CaseDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a decision")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The person sees this if you reject the case or ask for more evidence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the reason for your decision")},
    )

    def layout_fields(self) -> list:
        return [Field.radios("outcome", legend_size=Size.MEDIUM), Field.textarea("reason")]


class SupportSearchForm(GovukForm):
    """Phone support finds a person by reference, or by name, date of birth and postcode."""

    submit_label = _("Search")
    reference = forms.CharField(
        label=_("Reference number"),
        help_text=_("For example, ID-K7QH-3MZP"),
        required=False,
        max_length=30,
    )
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=200)
    birth_date = GovukDateField(
        what=_("their date of birth"), label=_("Date of birth"), help_text=_("For example, 27 3 1985"), required=False
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)

    def layout_fields(self) -> list:
        return [
            Field.text("reference", field_width=Fixed.TEN, spellcheck="false"),
            Field.text("full_name", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field("birth_date"),
            Field.text("postcode", field_width=Fixed.TEN, spellcheck="false"),
        ]

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value and normalise_postcode(value) is None:
            raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD"))
        return normalise_postcode(value) or ""

    def clean(self):
        data = super().clean()
        by_name = [data.get("full_name"), data.get("birth_date"), data.get("postcode")]
        if self.errors:
            return data
        if not data.get("reference") and not all(by_name):
            raise forms.ValidationError(
                _("Enter a reference number, or the person's full name, date of birth and postcode together")
            )
        return data


class ConsentCodeForm(GovukForm):
    submit_label = _("Start assisted session")
    code = forms.CharField(
        label=_("Consent code"),
        help_text=_("The 8 letters and numbers the person reads out, like K7QH-3MZP"),
        max_length=20,
        error_messages={"required": _("Enter the consent code")},
    )

    def clean_code(self) -> str:
        code = normalise_consent_code(self.cleaned_data["code"])
        if len(code) != 8:
            raise forms.ValidationError(_("The consent code must be 8 letters and numbers"))
        return code

    def layout_fields(self) -> list:
        return [Field.text("code", field_width=Fixed.TEN, autocomplete="off", spellcheck="false")]


class SupportNoteForm(GovukForm):
    submit_label = _("Save note")
    # The length limit is the service's (ASSISTED_NOTE_MAX_CHARACTERS); it refuses longer notes.
    text = forms.CharField(
        label=_("Note"),
        help_text=_("What the caller asked or told you. Do not record more than the case needs."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the note")},
    )
    for_registrar = forms.BooleanField(label=_("Ask a registrar to look at this"), required=False)

    def layout_fields(self) -> list:
        return [Field.textarea("text"), Field.checkbox("for_registrar")]


class KnowledgeAnswersForm(GovukForm):
    """The person's answers to a set of security questions (`questions` as a KnowledgeAttempt
    holds them): one set of radios per question, named by position so that nothing the provider
    chose becomes a field name or an HTML id."""

    submit_label = _("Send my answers")

    def __init__(self, *args, questions: list[dict] | None = None, **kwargs) -> None:
        self.questions = list(questions or [])
        super().__init__(*args, **kwargs)
        for name, question in zip(self.fields_by_question, self.questions, strict=True):
            number = name.removeprefix("question_")
            required = fill_in_later(_("Select an answer to question %(number)s"), {"number": number})
            self.fields[name] = forms.ChoiceField(
                label=question["text"],
                choices=[(choice, choice) for choice in question["choices"]],
                widget=forms.RadioSelect,
                error_messages={"required": required, "invalid_choice": required},
            )
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    @property
    def fields_by_question(self) -> dict[str, str]:
        """Form field name -> the provider's question id."""
        return {f"question_{number}": question["id"] for number, question in enumerate(self.questions, start=1)}

    def layout_fields(self) -> list:
        return [Field.radios(name, legend_size=Size.MEDIUM) for name in self.fields]

    def answers(self) -> dict[str, str]:
        """The choices made, by the provider's question id."""
        return {question: self.cleaned_data[name] for name, question in self.fields_by_question.items()}


class LanguageForm(GovukForm):
    submit_label = _("Save")
    language = forms.ChoiceField(
        label=_("Which language should we write to you in?"),
        help_text=_("For emails, text messages, certificates and letters we send you later."),
        choices=[("en", "English"), ("cy", "Cymraeg")],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose English or Welsh"), "invalid_choice": _("Choose English or Welsh")},
    )

    def layout_fields(self) -> list:
        return [Field.radios("language", legend_size=Size.LARGE, legend_tag="h1")]
