"""The public statistics page: the service's registrations by month and event, marriages and
civil partnerships by registration district, notices given and the days from notice to the
ceremony, for one year. Counts only, so it is open to everyone (GET, bookmarkable)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.forms import GovukForm
from core.replica import reads_may_lag

from . import statistics

FIRST_YEAR = 2000  # the service's own registrations; older entries are the historic registers


class YearForm(GovukForm):
    submit_label = _("Show figures")

    year = forms.IntegerField(
        label=_("Year"),
        error_messages={"required": _("Enter a year"), "invalid": _("Enter the year as a number, like 2026")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"

    def layout_fields(self) -> list:
        return [Field.text("year", field_width=Fixed.FOUR, inputmode="numeric")]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Enter a year from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": this_year}
            )
        return year


@reads_may_lag
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None, initial={"year": timezone.localdate().year})
    if request.GET and not form.is_valid():
        return render(request, "registrar/statistics.html", {"form": form, "error_form": form}, status=400)
    year = form.cleaned_data["year"] if request.GET else timezone.localdate().year
    return render(request, "registrar/statistics.html", {"form": form, "figures": statistics.year_figures(year)})
