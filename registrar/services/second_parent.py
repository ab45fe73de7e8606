"""Joint registration: the second parent is invited with a signed link, and confirms or declines."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.models import User
from identity.notifications import language_at, send_message, written_for

from .. import answers as answers_module
from .. import rules, selectors
from ..models import Event, Registration
from ..refusals import RegistrationRefused
from .deciding import decide
from .news import tell_informant

SECOND_PARENT_SALT = "registrar.second-parent"


def second_parent_token(registration: Registration) -> str:
    record = (registration.answers or {}).get("_second_parent") or {}
    return signing.dumps({"r": registration.reference, "n": record.get("nonce", "")}, salt=SECOND_PARENT_SALT)


def registration_for_token(token: str) -> Registration:
    """The registration an invitation link is for; a replaced or expired link is refused."""
    try:
        data = signing.loads(
            token, salt=SECOND_PARENT_SALT, max_age=timedelta(days=settings.SECOND_PARENT_INVITATION_MAX_AGE_DAYS)
        )
    except signing.BadSignature as error:
        raise RegistrationRefused("invitation_invalid") from error
    registration = Registration.objects.filter(reference=data.get("r", "")).first()
    record = (registration.answers or {}).get("_second_parent") or {} if registration else {}
    if (
        registration is None
        or not record.get("nonce")
        or not secrets.compare_digest(str(record["nonce"]), str(data.get("n", "")))
    ):
        raise RegistrationRefused("invitation_invalid")
    return registration


@written_for
def stillbirth_parent_invitation_message(recipient: str, *, informant: str, link: str) -> tuple[str, str]:
    return _("Registering your baby's stillbirth"), _(
        "%(informant)s is registering your baby's stillbirth and has named you as a parent. To be named "
        "in the register, sign in, verify your identity and confirm the details: %(link)s"
    ) % {"informant": informant, "link": link}


@written_for
def second_parent_invitation_message(recipient: str, *, informant: str, child: str, link: str) -> tuple[str, str]:
    return _("Confirm the registration of %(child)s's birth") % {"child": child}, _(
        "%(informant)s has registered the birth of %(child)s and named you as a parent. To be named in the "
        "register, sign in, verify your identity and confirm the details: %(link)s"
    ) % {"informant": informant, "child": child, "link": link}


def invite_second_parent(registration: Registration) -> None:
    contact = registration.answers.get("second_parent", {})
    channel = contact.get("channel", "email")
    to = contact.get("mobile") if channel == "sms" else contact.get("email")
    nonce = secrets.token_urlsafe(12)
    answers = {
        **registration.answers,
        "_second_parent": {"nonce": nonce, "channel": channel, "to": to, "invited_at": timezone.now().isoformat()},
    }
    if not registration.move("invite_second_parent", answers=answers, reasons=[]):
        raise RegistrationRefused("not_editable")
    link = settings.SITE_URL + reverse("registrar:second-parent", args=[second_parent_token(registration)])
    informant = answers_module.informant_name(registration) or registration.informant.full_name
    # The other parent may have no account yet: then the language of the parent who invited them.
    language = language_at(to, otherwise=registration.informant)
    if registration.event == Event.STILLBIRTH:
        subject, body = stillbirth_parent_invitation_message(language, informant=informant, link=link)
        send_message(
            key=f"registration:{registration.reference}:invite:{nonce}",
            channel=channel,
            to=to,
            subject=subject,
            body=body,
        )
        tell_informant(
            registration,
            "invited",
            lambda: (
                _(
                    "We have asked the other parent to confirm the details of registration %(reference)s. "
                    "The stillbirth will be registered when they do."
                )
                % {"reference": registration.reference}
            ),
        )
        return
    child = answers_module.value(registration.answers, "child", "forenames", "")
    subject, body = second_parent_invitation_message(language, informant=informant, child=child, link=link)
    send_message(
        key=f"registration:{registration.reference}:invite:{nonce}", channel=channel, to=to, subject=subject, body=body
    )
    tell_informant(
        registration,
        "invited",
        lambda: (
            _(
                "We have asked the other parent to confirm the details of registration %(reference)s. "
                "The birth will be registered when they do."
            )
            % {"reference": registration.reference}
        ),
    )


def confirm_as_second_parent(*, registration: Registration, person: User, today: date | None = None) -> Registration:
    """The other parent, signed in and verified, confirms the details; the entry is made only
    now (or the registration goes to a registrar if another rule needs one)."""
    today = today or rules.local_today()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("informant").get(pk=registration.pk)
        )
        if registration.status != Registration.Status.AWAITING_SECOND_PARENT:
            raise RegistrationRefused("not_awaiting_second_parent")
        if person.pk == registration.informant_id:
            raise RegistrationRefused("second_parent_is_informant")
        if not selectors.identity_verified(person):
            raise RegistrationRefused("second_parent_identity_not_verified")
        record = dict(registration.answers.get("_second_parent") or {})
        record.update({"confirmed_by": person.pk, "confirmed_at": timezone.now().isoformat()})
        registration.answers = {**registration.answers, "_second_parent": record}
        registration.save(update_fields=["answers"])
        return decide(registration, today=today)


def decline_as_second_parent(*, registration: Registration, person: User, reason: str) -> Registration:
    """The other parent says the details are wrong: the registration goes back to the informant
    as a draft (answers kept) with their reason, and the link stops working."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("informant").get(pk=registration.pk)
        )
        if person.pk == registration.informant_id:
            raise RegistrationRefused("second_parent_is_informant")
        answers = dict(registration.answers)
        answers["_second_parent"] = {"declined_at": timezone.now().isoformat(), "declined_reason": reason.strip()}
        answers.pop("declaration", None)
        if not registration.move("second_parent_declined", answers=answers):
            raise RegistrationRefused("not_awaiting_second_parent")
        tell_informant(
            registration,
            "declined",
            lambda: (
                _(
                    "The other parent did not confirm the details of registration %(reference)s: %(reason)s. "
                    "Sign in to change the answers or register without them."
                )
                % {"reference": registration.reference, "reason": reason.strip()}
            ),
        )
    return registration


def cancel_invitation(*, registration: Registration) -> Registration:
    """The informant stops waiting (to change answers, or to register alone): back to a draft;
    the old link stops working."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        answers = dict(registration.answers)
        answers.pop("_second_parent", None)
        answers.pop("declaration", None)
        if not registration.move("cancel_invitation", answers=answers):
            raise RegistrationRefused("not_awaiting_second_parent")
    return registration
