"""What the informant is told about their registration, in their own language."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import User
from identity.notifications import send_message, written_for

from ..models import Registration


@written_for
def registration_news_message(recipient: User, registration: Registration, body: Callable[[], str]) -> tuple[str, str]:
    return _("Your registration %(reference)s") % {"reference": registration.reference}, body()


def tell_informant(registration: Registration, what: str, body: Callable[[], str], *, once: bool = False) -> None:
    """`body()` is called in the informant's language, whoever's request or task sends it."""
    suffix = "" if once else f":{timezone.now().timestamp()}"
    subject, text = registration_news_message(registration.informant, registration, body)
    send_message(
        key=f"registration:{registration.reference}:{what}{suffix}",
        channel="email",
        to=registration.informant.email,
        subject=subject,
        body=text,
    )
