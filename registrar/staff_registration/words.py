"""How a registration taken by staff, and how its declaration was made, read in words: for the
queue, the registration's page and the register entry's page."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from identity.models import User

from ..models import Registration


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user else ""


def taken_by_words(registration: Registration) -> str:
    """ "Taken in person by Ann Smith" or "Taken by phone by Ben Jones"; empty for one made online."""
    if not registration.made_by_id:
        return ""
    if registration.assisted_session_id:
        return _("Taken by phone by %(name)s") % {"name": _name(registration.made_by)}
    return _("Taken in person by %(name)s") % {"name": _name(registration.made_by)}


def declaration_words(registration: Registration) -> str:
    """How, by whom and when the informant declared, in words; empty before the declaration."""
    if not registration.declared_at or not registration.declaration_method:
        return ""
    when = date_format(localtime(registration.declared_at), "j F Y, H:i")
    method = Registration.DeclarationMethod(registration.declaration_method)
    if method == Registration.DeclarationMethod.IN_PERSON:
        return _("Declaration read to and signed by the informant before %(name)s on %(when)s") % {
            "name": _name(registration.declaration_witnessed_by),
            "when": when,
        }
    if method == Registration.DeclarationMethod.CODE:
        return _("Declared by the informant with a one-time code sent to them, on %(when)s") % {"when": when}
    return _("Declared online by the informant, signed in as themselves, on %(when)s") % {"when": when}
