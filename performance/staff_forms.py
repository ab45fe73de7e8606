"""The staff dashboard's choices: a range of days (GOV.UK date inputs) and which office."""

from __future__ import annotations

from datetime import timedelta

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm

# A year and a day at most: the longest range a staff member compares with last year's.
DASHBOARD_MAX_DAYS = 366
DEFAULT_DAYS = 28


def default_range() -> tuple:
    """The last 28 days, today included."""
    today = timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


class DashboardForm(GovukForm):
    submit_label = _("Show figures")
    submit_style = "secondary"

    date_from = GovukDateField(label=_("From"), what=_("the first day"), required=False)
    date_to = GovukDateField(label=_("To"), what=_("the last day"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)

    def __init__(self, *args, offices, national: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        everything = _("England and Wales") if national else _("All my offices")
        self.fields["office"].choices = [("", everything)] + [(office.code, office.name) for office in offices]
        self.fields["office"].error_messages["invalid_choice"] = _("Choose one of your offices")

    def layout_fields(self) -> list:
        return [Field("date_from"), Field("date_to"), Field.select("office")]

    def _partly_given(self, name: str) -> bool:
        boxes = [str(self.data.get(f"{name}_{index}") or "").strip() for index in range(3)]
        return any(boxes) and not all(boxes)

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            # Left out, a date means the default; half given, it is a mistake to point out.
            if name not in self.errors and self._partly_given(name):
                self.add_error(name, self.fields[name].error_messages["incomplete"])
        today = timezone.localdate()
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        last = data.get("date_to") or today
        first = data.get("date_from") or last - timedelta(days=DEFAULT_DAYS - 1)
        if last < first:
            self.add_error("date_to", _("The last day must be the same as or after the first day"))
        elif (last - first).days + 1 > DASHBOARD_MAX_DAYS:
            self.add_error(
                "date_to",
                _("The range must be %(days)s days or fewer") % {"days": DASHBOARD_MAX_DAYS},
            )
        data["date_from"], data["date_to"] = first, last
        return data
