"""Forms for the index search, ordering, the sandbox payment page, verification and the staff
pages, with GOV.UK error messages."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, fill_in_later
from core.names import name_field
from core.pages import add_refusal
from core.places import normalise_postcode
from core.refusals import Refusal
from identity.models import RegisterOffice
from registrar.models import Event

from .models import KINDS_FOR_EVENT, CertificateKind
from .selectors import IndexSearch, normalise_serial

EVENTS = [
    (Event.BIRTH, _("Births")),
    (Event.DEATH, _("Deaths")),
    (Event.MARRIAGE, _("Marriages")),
    (Event.CIVIL_PARTNERSHIP, _("Civil partnerships")),
]
EITHER_SIDE = [
    (0, _("That year only")),
    (1, _("1 year")),
    (2, _("2 years")),
    (5, _("5 years")),
    (10, _("10 years")),
]


class ShowsRefusals:
    """A form that shows a service's refusal as the error of the field it is about."""

    refusal_fields: dict[str, str] = {}
    default_refusal_field: str | None = None

    def add_refusal(self, refusal: Refusal) -> None:
        add_refusal(self, refusal, self.refusal_fields.get(refusal.code, self.default_refusal_field))


class IndexSearchForm(ShowsRefusals, GovukForm):
    """Posted, never read from a query string: names are personal (`core.private_search`). The
    search's rules are `selectors.check_search`'s, shown on the field they are about."""

    submit_label = _("Search")
    refusal_fields = {
        "unknown_event": "event",
        "surname_without_letters": "surname",
        "year_out_of_range": "year",
        "years_either_side_without_year": "year",
        "years_either_side_out_of_range": "years_either_side",
        "maiden_surname_births_only": "mother_maiden_surname",
    }

    event = forms.ChoiceField(
        label=_("What are you looking for?"),
        choices=EVENTS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select births, deaths, marriages or civil partnerships")},
    )
    surname = forms.CharField(
        label=_("Surname"),
        max_length=100,
        error_messages={"required": _("Enter a surname"), "max_length": _("Surname must be 100 characters or fewer")},
    )
    sounds_like = forms.BooleanField(
        label=_("Include surnames that sound similar or are spelt differently"), required=False
    )
    forenames = forms.CharField(
        label=_("Forenames (optional)"),
        help_text=_("The start of a forename is enough, for example Eliz"),
        max_length=100,
        required=False,
    )
    year = forms.IntegerField(
        label=_("Year registered (optional)"),
        required=False,
        widget=forms.TextInput(),
        error_messages={"invalid": _("Year must be a number, like 1952")},
    )
    years_either_side = forms.IntegerField(
        label=_("Years either side"),
        required=False,
        widget=forms.Select(),
        error_messages={"invalid": _("Years either side must be a number, like 2")},
    )
    district = forms.ModelChoiceField(
        label=_("Registration district (optional)"),
        queryset=RegisterOffice.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any district"),
        error_messages={"invalid_choice": _("Select a district from the list")},
    )
    mother_maiden_surname = forms.CharField(
        label=_("Mother's maiden surname (births only, optional)"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        widest = settings.CERTIFICATE_SEARCH_MAX_YEARS_EITHER_SIDE
        self.fields["years_either_side"].widget.choices = [choice for choice in EITHER_SIDE if choice[0] <= widest]

    def layout_fields(self) -> list:
        return [
            Field.radios("event", legend_size=Size.SMALL, small=True),
            Field.text("surname", field_width=Fluid.FULL, spellcheck="false"),
            Field.checkboxes("sounds_like", small=True),
            Field.text("forenames", field_width=Fluid.FULL, spellcheck="false"),
            Field.text("year", field_width=Fixed.FOUR, inputmode="numeric"),
            Field.select("years_either_side"),
            Field.select("district"),
            Field.text("mother_maiden_surname", field_width=Fluid.FULL, spellcheck="false"),
        ]

    def search(self, *, page: int = 1) -> IndexSearch:
        data = self.cleaned_data
        return IndexSearch(
            event=data["event"],
            surname=data["surname"],
            sounds_like=data.get("sounds_like", False),
            forenames=data.get("forenames", ""),
            year=data.get("year"),
            years_either_side=data.get("years_either_side") or 0,
            district=data.get("district"),
            mother_maiden_surname=data.get("mother_maiden_surname", ""),
            page=page,
        )


class OrderForm(ShowsRefusals, GovukForm):
    refusal_fields = {"copies_out_of_range": "copies"}
    default_refusal_field = "kind"

    kind = forms.ChoiceField(
        label=_("Which certificate do you need?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the certificate you need")},
    )
    copies = forms.IntegerField(
        label=_("How many copies?"),
        help_text=_("Each copy has its own serial number"),
        min_value=1,
        error_messages={
            "required": _("Enter how many copies you need"),
            "invalid": _("Number of copies must be a whole number, like 1"),
            "min_value": _("Number of copies must be 1 or more"),
        },
    )

    def __init__(self, *args, event: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        most = settings.CERTIFICATE_MAX_COPIES
        copies = self.fields["copies"]
        copies.validators.append(MaxValueValidator(most))
        copies.error_messages["max_value"] = fill_in_later(
            _("Number of copies must be %(max)s or fewer"), {"max": most}
        )
        kinds = KINDS_FOR_EVENT[event]
        self.fields["kind"].choices = [(kind.value, CertificateKind(kind).label) for kind in kinds]
        if event == Event.BIRTH:
            self.fields["kind"].help_text = _(
                "A full certificate shows the parents' details. A short one shows only the child's name, sex, "
                "and date and place of birth."
            )

    def layout_fields(self) -> list:
        return [
            # The question is the page's heading: one heading, not a heading and a legend saying the same.
            Field.radios("kind", legend_size=Size.LARGE, legend_tag="h1"),
            Field.text("copies", field_width=Fixed.TWO, inputmode="numeric"),
        ]


class BirthDetailsForm(ShowsRefusals, GovukForm):
    refusal_fields = {"details_do_not_match": "date_of_birth"}

    date_of_birth = GovukDateField(
        label=_("Date of birth"), what=_("the date of birth"), help_text=_("For example, 27 3 1990")
    )
    place_of_birth = forms.CharField(
        label=_("Place of birth"),
        help_text=_("The hospital or address as registered, for example St James's University Hospital"),
        max_length=300,
        error_messages={"required": _("Enter the place of birth")},
    )
    # Compared with names in the register, so written as the register writes them.
    mother_name = name_field(_("Mother's full name"), _("Enter the mother's full name"), column="full_name")
    father_name = name_field(
        _("Father's or other parent's full name"),
        column="full_name",
        help_text=_("Leave this empty if no father or other parent is named on the entry"),
        required=False,
    )

    def layout_fields(self) -> list:
        return [
            Field("date_of_birth"),
            Field.text("place_of_birth", field_width=Fluid.FULL),
            Field.text("mother_name", field_width=Fluid.FULL, spellcheck="false"),
            Field.text("father_name", field_width=Fluid.FULL, spellcheck="false"),
        ]


class ApplicantForm(GovukForm):
    full_name = name_field(_("Full name"), _("Enter your full name"), column="full_name")
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will email you a link to your certificate"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    address = forms.CharField(
        label=_("Your address"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter your address")},
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=20, error_messages={"required": _("Enter your postcode")}
    )

    def clean_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD"))
        return postcode

    def layout_fields(self) -> list:
        return [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS, autocomplete="name", spellcheck="false"),
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="email", spellcheck="false"),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
        ]


class SandboxCardForm(GovukForm):
    submit_label = _("Pay")

    card_number = forms.CharField(
        label=_("Card number"),
        help_text=_("Sandbox: 4444333322221111 pays, 4000000000000002 is declined"),
        max_length=30,
        error_messages={"required": _("Enter a card number")},
    )
    name_on_card = forms.CharField(
        label=_("Name on card"), max_length=100, error_messages={"required": _("Enter the name on the card")}
    )

    def clean_card_number(self) -> str:
        number = "".join(self.cleaned_data["card_number"].split()).replace("-", "")
        if not number.isdigit() or not 12 <= len(number) <= 19:
            raise forms.ValidationError(_("Enter a card number of 12 to 19 digits"))
        return number

    def layout_fields(self) -> list:
        return [
            Field.text("card_number", field_width=Fixed.TWENTY, inputmode="numeric", autocomplete="cc-number"),
            Field.text("name_on_card", field_width=Fluid.TWO_THIRDS, autocomplete="cc-name"),
        ]


class VerifySerialForm(GovukForm):
    submit_label = _("Check certificate")

    serial = forms.CharField(
        label=_("Serial number"),
        help_text=_("It is printed at the bottom of the certificate, for example K7QH-3MZP-W2XA-9RTC"),
        max_length=40,
        error_messages={"required": _("Enter the serial number")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"

    def clean_serial(self) -> str:
        serial = normalise_serial(self.cleaned_data["serial"])
        if serial is None:
            raise forms.ValidationError(_("A serial number is 16 letters and numbers, like K7QH-3MZP-W2XA-9RTC"))
        return serial

    def layout_fields(self) -> list:
        return [
            Field.text("serial", field_width=Fixed.TWENTY, spellcheck="false", autocapitalize="characters"),
        ]


def validate_certificate_pdf(upload) -> None:
    """An upload to check, on the page and in the API: a PDF, and not too big."""
    limit = settings.CERTIFICATE_VERIFY_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file must be smaller than %(megabytes)s MB") % {"megabytes": limit // (1024 * 1024)}
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise forms.ValidationError(_("The selected file must be a PDF"))


class VerifyPdfForm(GovukForm):
    submit_label = _("Check PDF")

    pdf = forms.FileField(
        label=_("Upload the certificate PDF"),
        validators=[validate_certificate_pdf],
        error_messages={"required": _("Select a PDF file"), "empty": _("The selected file is empty")},
    )

    def layout_fields(self) -> list:
        return [Field("pdf")]


# --- Staff --------------------------------------------------------------------------------------------------


class OrderSearchForm(GovukForm):
    submit_label = _("Find orders")

    query = forms.CharField(
        label=_("Order reference, certificate serial number or email address"),
        max_length=254,
        error_messages={"required": _("Enter an order reference, a serial number or an email address")},
    )

    def layout_fields(self) -> list:
        return [Field.text("query", field_width=Fluid.TWO_THIRDS, spellcheck="false")]


class ReasonForm(ShowsRefusals, GovukForm):
    default_refusal_field = "reason"

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("This is kept in the audit log"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason")},
    )

    def __init__(self, *args, submit_label: str, **kwargs) -> None:
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Enter the reason"))
        return reason

    def layout_fields(self) -> list:
        return [Field.textarea("reason", rows=3)]
