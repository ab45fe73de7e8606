"""Registering: the register entry written from the answers, and what follows a death's
registration (the green form, Tell Us Once)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.references import new_reference
from identity.models import User
from identity.notifications import language_at, send_message, written_for

from .. import answers as answers_module
from .. import events, rules, selectors
from ..models import Event, EventKind, RegisterEntry, Registration
from ..refusals import RegistrationRefused
from ..register import UK, write_entry
from .news import tell_informant

GREEN_FORM_SALT = "registrar.green-form"


def register_registration(
    *, registration: Registration, actor: User | None, transition: str = "register"
) -> RegisterEntry:
    """Write the register entry from the answers and mark the registration registered. `actor`
    None means automatic registration, which also needs the informant's verified identity; a
    registrar (actor) may register without it. `transition` is the status change it makes (a
    registrar's decision registers only a case waiting for them: "register_case"). Idempotent: a
    registered registration is refused with "already_registered" and nothing is written."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("informant", "district", "medical_certificate", "stillbirth_certificate")
            .get(pk=registration.pk)
        )
        if registration.status == Registration.Status.REGISTERED:
            raise RegistrationRefused("already_registered")
        if not registration.allows(transition):
            raise RegistrationRefused("not_open")
        if actor is not None:
            if not actor.is_staff:
                raise RegistrationRefused("not_staff")
            if actor.pk == registration.informant_id:
                raise RegistrationRefused("own_registration")
        elif not selectors.identity_verified(registration.informant):
            raise RegistrationRefused("identity_not_verified")
        certificate = registration.medical_certificate
        if registration.event == Event.DEATH:
            if certificate is None:
                raise RegistrationRefused("no_medical_certificate")
            if certificate.blocks_registration:
                raise RegistrationRefused("coroner_block")
        if registration.event == Event.STILLBIRTH and registration.stillbirth_certificate is None:
            raise RegistrationRefused("no_stillbirth_certificate")
        if registration.district is None:
            raise RegistrationRefused("no_district")
        if (
            registration.event in (Event.BIRTH, Event.STILLBIRTH)
            and answers_module.second_parent_must_confirm(registration.answers)
            and not answers_module.second_parent_confirmed(registration.answers)
        ):
            raise RegistrationRefused("second_parent_not_confirmed")
        fields = answers_module.entry_fields(registration)
        now = timezone.now()
        band = rules.lateness(
            event=registration.event,
            event_date=fields["event_date"],
            deadline=registration.deadline,
            today=now.astimezone(UK).date(),
        )
        entry = write_entry(
            district=registration.district,
            event=registration.event,
            registration=registration,
            registered_by=actor,
            automatically=actor is None,
            late_authority=band == rules.NEEDS_AUTHORITY,
            registered_at=now,
            **fields,
        )
        after = (
            {"answers": {**registration.answers, "_after_death": _after_death(now)}}
            if registration.event == Event.DEATH
            else {}
        )
        if not registration.move(transition, decided_at=now, **after):
            raise RegistrationRefused("not_open")
        _registered(entry)
    return entry


def _after_death(now) -> dict[str, str]:
    """The Tell Us Once reference (valid TELL_US_ONCE_VALID_DAYS) and the green form's issue."""
    expires = now.astimezone(UK).date() + timedelta(days=settings.TELL_US_ONCE_VALID_DAYS)
    return {
        "tell_us_once": new_reference("TU"),
        "tell_us_once_expires": expires.isoformat(),
        "green_form_issued_at": now.isoformat(),
    }


def green_form_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.reference}, salt=GREEN_FORM_SALT)


def registration_for_green_form_token(token: str) -> Registration | None:
    try:
        data = signing.loads(token, salt=GREEN_FORM_SALT, max_age=timedelta(days=settings.GREEN_FORM_LINK_MAX_AGE_DAYS))
    except signing.BadSignature:
        return None
    return Registration.objects.filter(
        reference=data.get("r", ""), event=Event.DEATH, status=Registration.Status.REGISTERED
    ).first()


def _in_words(day: date | None) -> str:
    return date_format(day, "j F Y") if day else ""


@written_for
def green_form_message(recipient: str, *, entry: RegisterEntry, link: str) -> tuple[str, str]:
    return _("Certificate for burial or cremation"), _(
        "The death of %(name)s has been registered. Download the certificate for burial or cremation "
        "(the green form) here: %(link)s"
    ) % {"name": f"{entry.forenames} {entry.surname}", "link": link}


def _registered(entry: RegisterEntry) -> None:
    """Everything that follows an entry being written: integrators are told (signed webhooks,
    after commit) and the informant gets their message."""
    events.publish(kind=EventKind.REGISTERED, entry=entry)
    registration = entry.registration
    if registration is None:
        return
    if registration.event == Event.STILLBIRTH:
        tell_informant(
            registration,
            "registered",
            lambda: (
                _(
                    "Your baby's stillbirth is registered (entry %(entry)s). You can download the certificate of "
                    "registration and the certificate for burial or cremation when you sign in. "
                    "Your reference is %(reference)s."
                )
                % {"entry": entry.entry_reference, "reference": registration.reference}
            ),
            once=True,
        )
        return
    if registration.event == Event.BIRTH:
        tell_informant(
            registration,
            "registered",
            lambda: (
                _(
                    "The birth of %(name)s is registered (entry %(entry)s). You can now order a birth certificate. "
                    "Your reference is %(reference)s."
                )
                % {"name": entry.forenames, "entry": entry.entry_reference, "reference": registration.reference}
            ),
            once=True,
        )
        return
    after = registration.answers.get("_after_death", {})
    tell_informant(
        registration,
        "registered",
        lambda: (
            _(
                "The death of %(name)s is registered (entry %(entry)s). Your Tell Us Once reference is %(tuo)s; "
                "use it by %(expires)s to tell other government services at once. "
                "The certificate for burial or cremation has been sent to the funeral arranger."
            )
            % {
                "name": f"{entry.forenames} {entry.surname}",
                "entry": entry.entry_reference,
                "tuo": after.get("tell_us_once", ""),
                "expires": _in_words(answers_module.as_date(after.get("tell_us_once_expires"))),
            }
        ),
        once=True,
    )
    funeral = registration.answers.get("funeral", {})
    if funeral.get("arranger_email"):
        link = settings.SITE_URL + reverse("registrar:green-form-link", args=[green_form_token(registration)])
        # The funeral arranger's address came from the informant: their language unless it has an account.
        subject, body = green_form_message(
            language_at(funeral["arranger_email"], otherwise=registration.informant), entry=entry, link=link
        )
        send_message(
            key=f"registration:{registration.reference}:green-form",
            channel="email",
            to=funeral["arranger_email"],
            subject=subject,
            body=body,
        )
