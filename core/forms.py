"""GOV.UK form base classes shared by every app: the form with GOV.UK markup (crispy-forms-gds),
the date input with translated messages, yes/no radios, and `bind_json`, which lets the API
validate its JSON with the very form the page uses."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class GovukForm(forms.Form):
    submit_label = _("Continue")
    # "primary", or "warning" for an action that cannot be undone, or "secondary".
    submit_style = "primary"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _no_number_input(field)
        self.helper = FormHelper()
        # The GOV.UK error summary, not the browser's own bubbles (`required`, `maxlength`).
        self.helper.attrs = {"novalidate": ""}
        button = getattr(Button, self.submit_style)("submit", self.submit_label)
        self.helper.layout = Layout(*self.layout_fields(), button)

    def layout_fields(self) -> list:
        return [Field.text(name) for name in self.fields]


def _no_number_input(field: forms.Field) -> None:
    """GOV.UK advises against `type=number` (it rounds, scrolls and is read out badly): a number
    is a text input with the numeric keyboard, `inputmode="numeric"`."""
    if isinstance(field.widget, forms.NumberInput):
        attrs = {key: value for key, value in field.widget.attrs.items() if key not in ("min", "max", "step")}
        field.widget = forms.TextInput(attrs={**attrs, "inputmode": "numeric", "spellcheck": "false"})


def _fill_in(message: str, values: dict, capitalise: bool = False) -> str:
    text = str(message) % {name: str(value) for name, value in values.items()}
    return capfirst(text) if capitalise else text


# Fields are built when their form class is imported, in English; an error message made from
# two lazy strings must be put together when it is shown, in the language of that request.
fill_in_later = lazy(_fill_in, str)


def _setting(name: str) -> str:
    return str(getattr(settings, name))


# A legal number read from its setting when the text holding it is shown, not when the form class
# is imported, so that the text follows the setting.
setting_later = lazy(_setting, str)


class GovukDateField(DateInputField):
    """GOV.UK date input (day, month, year) with our own, translated messages."""

    def __init__(self, *, what: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = fill_in_later(_("Enter %(what)s"), {"what": what})
        self.error_messages["incomplete"] = fill_in_later(
            _("%(what)s must include a day, month and year"), {"what": what}, True
        )
        # The same labels crispy-forms-gds uses, marked here so that our catalogue translates all
        # three: Django's own Welsh catalogue leaves them empty.
        for box, label in zip(self.widget.widgets, (_("Day"), _("Month"), _("Year")), strict=True):
            box.attrs["label"] = label

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError(capfirst(_("%(what)s must be a real date") % {"what": self.what})) from error


def yes_no_field(label, required_message, **kwargs) -> forms.TypedChoiceField:
    """GOV.UK yes/no radios giving True or False."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda choice: choice == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


ISO_SHAPED = re.compile(r"^\s*([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})\s*$")


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def bind_json(form_class: type[forms.Form], payload: dict[str, Any], **kwargs) -> forms.Form:
    """The API's JSON as the form data the page would post: ISO dates split into day, month and
    year, booleans as the radios and checkboxes send them, lists for multiple choices. Unknown keys
    are ignored; wrong types fail validation with the form's own messages."""
    data: dict[str, Any] = {}
    # An unbound form's fields, not the class's: a form may add fields in __init__ (a passport's
    # machine-readable lines).
    for name, field in form_class(**kwargs).fields.items():
        if name not in payload or payload[name] is None:
            continue
        given = payload[name]
        if isinstance(field, GovukDateField):
            parsed = _iso_date(given)
            if parsed is not None:
                day, month, year = parsed.day, parsed.month, parsed.year
            else:
                # Not a date (2027-02-31, "tomorrow"): numbers that make no date, so the field
                # gives its one message, "... must be a real date", as the page does.
                shaped = ISO_SHAPED.match(given) if isinstance(given, str) else None
                year, month, day = shaped.groups() if shaped else ("0", "0", "0")
            data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
        elif isinstance(field, forms.TypedChoiceField) and field.choices == YES_NO:
            data[name] = {True: "yes", False: "no"}.get(given, str(given)) if isinstance(given, bool) else str(given)
        elif isinstance(field, forms.BooleanField):
            if given is True:
                data[name] = "on"
        elif isinstance(field, forms.MultipleChoiceField):
            data[name] = [str(item) for item in given] if isinstance(given, list) else [""]
        elif isinstance(given, (str, int, float)) and not isinstance(given, bool):
            data[name] = str(given)
        else:
            data[name] = ""  # a list or object where text belongs: reported as missing or invalid
    return form_class(_QueryDictLike(data), **kwargs)


class _QueryDictLike(dict):
    """Form data as a dict that answers `getlist`, as a posted QueryDict does for multiple choices."""

    def getlist(self, key, default=None):
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


def error_target(bound_field) -> str:
    """The id an error-summary link for `bound_field` points at, so that following it puts the
    cursor in the question: the first radio or checkbox of a set (crispy-forms-gds numbers them
    from 1, as `id_<name>_1`), the day box of a date, otherwise the input itself."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """The error summary's links, (target id, message), in the order of the page: the form's
    own errors first (they point at its first question), then each question's."""
    visible = form.visible_fields()
    links = [(error_target(visible[0]) if visible else "", str(error)) for error in form.non_field_errors()]
    for bound_field in visible:
        target = error_target(bound_field)
        seen = set()
        # A date's boxes may carry their own messages (crispy-forms-gds); each once, at the day.
        for box in getattr(bound_field.field.widget, "widgets", []):
            for error in getattr(box, "errors", []):
                if str(error) not in seen:
                    seen.add(str(error))
                    links.append((target, str(error)))
        links.extend((target, str(error)) for error in bound_field.errors if str(error) not in seen)
    return links
