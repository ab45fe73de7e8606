"""Forms for the index search, ordering, the sandbox payment page, verification and the staff
pages, with GOV.UK error messages."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm
from core.places import normalise_postcode
from identity.models import RegisterOffice
from registrar.models import Event
from registrar.names import surname_key

from .models import KINDS_FOR_EVENT, CertificateKind
from .selectors import FIRST_REGISTRATION_YEAR, IndexSearch

EVENTS = [
    (Event.BIRTH, _("Births")),
    (Event.DEATH, _("Deaths")),
    (Event.MARRIAGE, _("Marriages")),
    (Event.CIVIL_PARTNERSHIP, _("Civil partnerships")),
]
EITHER_SIDE = [
    ("0", _("That year only")),
    ("1", _("1 year")),
    ("2", _("2 years")),
    ("5", _("5 years")),
    ("10", _("10 years")),
]


class IndexSearchForm(GovukForm):
    """Read from the query string, so a search is a link that can be shared or bookmarked."""

    submit_label = _("Search")

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
        error_messages={"invalid": _("Year must be a number, like 1952")},
    )
    years_either_side = forms.TypedChoiceField(
        label=_("Years either side"), choices=EITHER_SIDE, coerce=int, required=False, empty_value=0
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
        self.helper.form_method = "get"

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

    def clean_surname(self) -> str:
        surname = self.cleaned_data["surname"]
        if not surname_key(surname):
            raise forms.ValidationError(_("Surname must include letters"))
        return surname

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        this_year = timezone.localdate().year
        if year is not None and not FIRST_REGISTRATION_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Year must be between %(first)s and %(last)s") % {"first": FIRST_REGISTRATION_YEAR, "last": this_year}
            )
        return year

    def clean(self):
        data = super().clean()
        if data.get("mother_maiden_surname") and data.get("event") and data["event"] != Event.BIRTH:
            self.add_error("mother_maiden_surname", _("Mother's maiden surname is only in the index of births"))
        if data.get("years_either_side") and data.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Enter a year to search the years either side of it"))
        return data

    def search(self, *, page: int = 1) -> IndexSearch:
        data = self.cleaned_data
        year, spread = data.get("year"), data.get("years_either_side") or 0
        return IndexSearch(
            event=data["event"],
            surname=data["surname"],
            sounds_like=data.get("sounds_like", False),
            forenames=data.get("forenames", ""),
            year_from=year - spread if year else None,
            year_to=year + spread if year else None,
            district=data.get("district"),
            mother_maiden_surname=data.get("mother_maiden_surname", ""),
            page=page,
        )


class OrderForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("Which certificate do you need?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the certificate you need")},
    )
    copies = forms.IntegerField(
        label=_("How many copies?"),
        help_text=_("Each copy has its own serial number"),
        min_value=1,
        max_value=settings.CERTIFICATE_MAX_COPIES,
        error_messages={
            "required": _("Enter how many copies you need"),
            "invalid": _("Number of copies must be a whole number, like 1"),
            "min_value": _("Number of copies must be 1 or more"),
            "max_value": _("Number of copies must be %(max)s or fewer") % {"max": settings.CERTIFICATE_MAX_COPIES},
        },
    )

    def __init__(self, *args, event: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = KINDS_FOR_EVENT[event]
        self.fields["kind"].choices = [(kind.value, CertificateKind(kind).label) for kind in kinds]
        if event == Event.BIRTH:
            self.fields["kind"].help_text = _(
                "A full certificate shows the parents' details. A short one shows only the child's name, sex, "
                "and date and place of birth."
            )

    def layout_fields(self) -> list:
        return [
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("copies", field_width=Fixed.TWO, inputmode="numeric"),
        ]


class BirthDetailsForm(GovukForm):
    date_of_birth = GovukDateField(
        label=_("Date of birth"), what=_("the date of birth"), help_text=_("For example, 27 3 1990")
    )
    place_of_birth = forms.CharField(
        label=_("Place of birth"),
        help_text=_("The hospital or address as registered, for example St James's University Hospital"),
        max_length=300,
        error_messages={"required": _("Enter the place of birth")},
    )
    mother_name = forms.CharField(
        label=_("Mother's full name"),
        max_length=300,
        error_messages={"required": _("Enter the mother's full name")},
    )
    father_name = forms.CharField(
        label=_("Father's or other parent's full name"),
        help_text=_("Leave this empty if no father or other parent is named on the entry"),
        max_length=300,
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
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter your full name")}
    )
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
        serial = "".join(self.cleaned_data["serial"].upper().split()).replace("-", "")
        if not serial.isalnum() or len(serial) != 16:
            raise forms.ValidationError(_("A serial number is 16 letters and numbers, like K7QH-3MZP-W2XA-9RTC"))
        return "-".join(serial[index : index + 4] for index in range(0, 16, 4))

    def layout_fields(self) -> list:
        return [
            Field.text("serial", field_width=Fixed.TWENTY, spellcheck="false", autocapitalize="characters"),
        ]


class VerifyPdfForm(GovukForm):
    submit_label = _("Check PDF")

    pdf = forms.FileField(
        label=_("Upload the certificate PDF"),
        error_messages={"required": _("Select a PDF file"), "empty": _("The selected file is empty")},
    )

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > settings.CERTIFICATE_VERIFY_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 5MB"))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("The selected file must be a PDF"))
        return upload

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"

    def layout_fields(self) -> list:
        return [Field.text("query", field_width=Fluid.TWO_THIRDS, spellcheck="false")]


class ReasonForm(GovukForm):
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
