"""Names that go into a register: the one rule for every name field (birth and death steps,
booking party details and witnesses, marriage notices, staff corrections of a name).

A name is letters of any alphabet (accents included, typed as one character or as a letter and
its accent), with spaces, hyphens and apostrophes between them, and at least one letter; it is no
longer than its register column holds (`REGISTER_FORENAMES_MAX_LENGTH`,
`REGISTER_SURNAME_MAX_LENGTH`, `REGISTER_FULL_NAME_MAX_LENGTH`). Spaces are tidied and the text
is kept in Unicode's composed form, so "José" typed either way is one name.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .forms import fill_in_later

# Which setting holds each kind of name's longest length: the register's columns.
COLUMNS = {
    "forenames": "REGISTER_FORENAMES_MAX_LENGTH",
    "surname": "REGISTER_SURNAME_MAX_LENGTH",
    "full_name": "REGISTER_FULL_NAME_MAX_LENGTH",
}
# Between letters: spaces, hyphens (also the typographic hyphen) and apostrophes (also the curly
# one phones type).
JOINERS = frozenset(" -\u2010'\u2019")


def max_length(column: str) -> int:
    return int(getattr(settings, COLUMNS[column]))


def tidy(value: str) -> str:
    """One space between words, none at the ends, composed accents."""
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def is_name_character(character: str) -> bool:
    return character in JOINERS or unicodedata.category(character)[0] in ("L", "M")


def problem(value: str, column: str) -> str | None:
    """Which rule `value` (tidied) breaks: "too_long", "characters", "no_letter"; or None."""
    if len(value) > max_length(column):
        return "too_long"
    if not all(is_name_character(character) for character in value):
        return "characters"
    if value and not any(unicodedata.category(character)[0] == "L" for character in value):
        return "no_letter"
    return None


class RegisterNameValidator:
    """Django validator: `what` names the field in the messages, like "First and middle names"."""

    def __init__(self, column: str, what) -> None:
        if column not in COLUMNS:
            raise ValueError(f"Unknown name column {column!r}")
        self.column = column
        self.what = what

    def messages(self) -> dict:
        return {
            "too_long": fill_in_later(
                _("%(label)s must be %(max)s characters or fewer"),
                {"label": self.what, "max": max_length(self.column)},
            ),
            "characters": fill_in_later(
                _("%(label)s must only include letters, spaces, hyphens and apostrophes"), {"label": self.what}
            ),
            "no_letter": fill_in_later(_("%(label)s must include at least one letter"), {"label": self.what}),
        }

    def __call__(self, value: str) -> None:
        code = problem(tidy(value), self.column)
        if code is not None:
            raise forms.ValidationError(self.messages()[code], code=f"name_{code}")

    def __eq__(self, other) -> bool:
        return isinstance(other, RegisterNameValidator) and (self.column, str(self.what)) == (
            other.column,
            str(other.what),
        )


class RegisterNameField(forms.CharField):
    """A text input for a name in a register. No `maxlength` attribute: a browser would cut a
    pasted name short without a word; the error message says how long a name may be."""

    def __init__(self, *, column: str, what=None, **kwargs) -> None:
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.column = column
        self.validators.append(RegisterNameValidator(column, what or kwargs.get("label") or ""))

    def to_python(self, value):
        value = super().to_python(value)
        return tidy(value) if value else value


def name_field(label, required_message="", *, column: str, what=None, required: bool = True, **kwargs):
    """A register name field with the page's label and "Enter ..." message. `what` names the
    field in the other messages when the label does not read well there ("Surname at birth
    (optional)" → "Surname at birth")."""
    messages = {"required": required_message} if required_message else {}
    return RegisterNameField(
        column=column, what=what or label, label=label, required=required, error_messages=messages, **kwargs
    )
