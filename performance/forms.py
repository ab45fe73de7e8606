"""The survey form (the GOV.UK "Give feedback" pattern) and the filters of the public figures,
each used by the page and by the downloads alike."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm
from identity.models import RegisterOffice

from .models import COMMENT_MAX, Rating

# The service's own registers start here; older entries are the historic paper registers.
FIRST_YEAR = 2000


class FeedbackForm(GovukForm):
    submit_label = _("Send feedback")

    rating = forms.TypedChoiceField(
        label=_("Overall, how did you feel about the service you received today?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you felt about the service"),
            "invalid_choice": _("Select how you felt about the service"),
        },
    )
    comment = forms.CharField(
        label=_("How could we improve this service? (optional)"),
        help_text=_(
            "Do not include any personal or financial information, for example your name, address or reference number."
        ),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": _("Your feedback must be %(limit_value)d characters or fewer")},
    )

    def layout_fields(self) -> list:
        return [Field.radios("rating", legend_size=Size.LARGE, legend_tag="h1"), Field.textarea("comment", rows=5)]


class FiguresForm(GovukForm):
    """Which figures to show or download: by month or by week, nationally or for one district."""

    submit_label = _("Show figures")

    period = forms.ChoiceField(
        label=_("Figures by"),
        choices=[("month", _("Month")), ("week", _("Week"))],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select month or week")},
    )
    district = forms.ModelChoiceField(
        label=_("Registration district"),
        queryset=RegisterOffice.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("England and Wales"),
        error_messages={"invalid_choice": _("Select a registration district from the list")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"

    def layout_fields(self) -> list:
        return [Field.radios("period", legend_size=Size.SMALL, inline=True), Field.select("district")]

    def clean_period(self) -> str:
        return self.cleaned_data["period"] or "month"


class YearForm(forms.Form):
    """The year of an open data file: the service's own registers, up to this year."""

    year = forms.IntegerField(
        required=False,
        error_messages={"invalid": _("Enter the year as a number, like 2026")},
    )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if year is None:
            return this_year
        if not FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Enter a year from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": this_year}
            )
        return year
