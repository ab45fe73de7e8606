"""Writes for birth and death registrations: start a draft, save answers step by step, submit,
invite and hear from the second parent, register (automatically when every rule is met, or by
a registrar), and record medical certificates and the coroner's release. Each service runs in
one transaction and sends its messages on commit."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.places import registration_district_for
from core.references import new_reference
from identity.audit import record_audit
from identity.models import User
from identity.notifications import language_at, send_message, written_for

from . import answers as answers_module
from . import events, rules, selectors
from .models import Event, EventKind, MedicalCertificate, RegisterEntry, Registration
from .names import surname_key
from .refusals import RegistrationRefused
from .register import UK, write_entry
from .stillbirth import matching as stillbirth_matching

SECOND_PARENT_SALT = "registrar.second-parent"
GREEN_FORM_SALT = "registrar.green-form"


def start_registration(*, informant: User, event: str, **taken_by_staff: Any) -> Registration:
    """A new draft. `taken_by_staff` holds the columns a registration taken by staff starts with
    (made_by, assisted_session, informant_documents: `registrar.staff_registration.services`,
    which checks who may); a person online gives none."""
    if event not in (Event.BIRTH, Event.DEATH, Event.STILLBIRTH):
        raise RegistrationRefused("unknown_event")
    return Registration.objects.create(
        reference=new_reference("RG"), event=event, informant=informant, **taken_by_staff
    )


def _refresh_derived(registration: Registration) -> None:
    """The columns other code filters on, recomputed from the answers."""
    if registration.event == Event.STILLBIRTH:
        stillbirth_matching.refresh(registration)
        return
    answers = registration.answers or {}
    registration.event_date = answers_module.event_date_of(registration.event, answers)
    registration.district = registration_district_for(answers_module.event_postcode(registration.event, answers))
    if registration.event == Event.BIRTH:
        registration.deadline = rules.birth_deadline(registration.event_date) if registration.event_date else None
        return
    certificate = selectors.medical_certificate_by_reference(
        answers_module.value(answers, "certificate", "reference", "")
    )
    registration.medical_certificate = certificate
    if certificate is not None:
        registration.deadline = rules.death_deadline(
            received_on=certificate.received_at.astimezone(UK).date(),
            extension_notified=certificate.extension_notified_at is not None,
        )
        if registration.district is None:
            registration.district = certificate.district
    else:
        registration.deadline = None


def check_step(*, registration: Registration, step: str) -> None:
    """Refuse a step that cannot be answered now: one the journey does not have (the declaration
    is made by sending, `submit_registration`), a registration already sent, or a question the
    earlier answers mean is not asked."""
    if step == "declaration" or answers_module.step_named(registration.event, step) is None:
        raise RegistrationRefused("unknown_step")
    if registration.status not in Registration.EDITABLE:
        raise RegistrationRefused("not_editable")
    if step not in [item.name for item in answers_module.steps_for(registration)]:
        raise RegistrationRefused("step_not_asked")


def save_answers(*, registration: Registration, step: str, values: dict[str, Any]) -> Registration:
    """Save one step's answers (already validated by its form). The row is locked so two tabs
    saving different steps both keep theirs. Changing any answer after the declaration asks
    for the declaration again: a person declares the answers as they finally stand."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        check_step(registration=registration, step=step)
        answers = dict(registration.answers or {})
        cleaned = {name: _json_value(item) for name, item in values.items()}
        if answers.get(step) != cleaned:
            answers.pop("declaration", None)
        answers[step] = cleaned
        registration.answers = answers
        _refresh_derived(registration)
        registration.updated_at = timezone.now()
        registration.save()
    return registration


def _json_value(item: Any) -> Any:
    if isinstance(item, date):
        return item.isoformat()
    if hasattr(item, "isoformat"):  # time
        return item.isoformat(timespec="minutes")
    if isinstance(item, str):
        return item.strip()
    return item


def _reasons(registration: Registration, *, today: date) -> list[str]:
    """Why a person must look, from the rules. Empty means it can be registered at once."""
    reasons = []
    if not selectors.identity_verified(registration.informant) and not _identity_seen_by_registrar(registration):
        reasons.append("identity_not_verified")
    if registration.district is None:
        reasons.append("district_unknown")
    if registration.event_date is not None:
        band = rules.lateness(
            event=registration.event, event_date=registration.event_date, deadline=registration.deadline, today=today
        )
        if band in rules.LATENESS_REASONS:
            reasons.append(rules.LATENESS_REASONS[band])
    if registration.event == Event.DEATH:
        reasons += _certificate_reasons(registration)
    if registration.event == Event.STILLBIRTH:
        reasons += stillbirth_matching.certificate_reasons(registration)
    if selectors.likely_duplicates(registration):
        reasons.append("possible_duplicate")
    return reasons


def _identity_seen_by_registrar(registration: Registration) -> bool:
    """A registrar who takes a registration in person establishes the informant's identity by
    seeing their documents (recorded on the registration) instead of the online check."""
    return bool(_taken_in_person(registration) and registration.informant_documents.strip())


def _taken_in_person(registration: Registration) -> bool:
    return bool(registration.made_by_id and not registration.assisted_session_id)


def _certificate_reasons(registration: Registration) -> list[str]:
    """The MCCD must match what the informant says: name, date of death, date of birth."""
    certificate = registration.medical_certificate
    if certificate is None:
        return ["mccd_not_found"]
    answers = registration.answers or {}
    reasons = []
    given = answers_module.value(answers, "deceased", "forenames", "")
    surname = answers_module.value(answers, "deceased", "surname", "")
    if surname_key(given) != surname_key(certificate.deceased_given_names) or surname_key(surname) != surname_key(
        certificate.deceased_surname
    ):
        reasons.append("mccd_name_mismatch")
    if registration.event_date != certificate.date_of_death:
        reasons.append("mccd_date_of_death_mismatch")
    born = answers_module.as_date(answers_module.value(answers, "deceased", "date_of_birth"))
    if certificate.deceased_date_of_birth and born != certificate.deceased_date_of_birth:
        reasons.append("mccd_date_of_birth_mismatch")
    if certificate.district_id and registration.district_id and certificate.district_id != registration.district_id:
        reasons.append("mccd_district_mismatch")
    if certificate.blocks_registration:
        reasons.append("coroner_referral")
    elif certificate.inquest_open:
        reasons.append("inquest_open")
    return reasons


def _hand_over_by(reasons: list[str]) -> str:
    """The transition that hands a registration to a person, by the reasons it needs one."""
    if "coroner_referral" in reasons:
        return "wait_for_coroner"
    if "late_needs_authority" in reasons:
        return "wait_for_authority"
    return "send_to_registrar"


def may_declare(*, registration: Registration, person: User) -> bool:
    """The declaration is the informant's own statement that the particulars are true: only the
    informant, signed in as themselves, makes it. Phone support in an assisted session may enter
    answers for them but never declares in their name."""
    return person.pk == registration.informant_id


def submit_registration(
    *,
    registration: Registration,
    declared_by: User,
    today: date | None = None,
    taken_by: User | None = None,
    method: str = Registration.DeclarationMethod.ONLINE,
) -> Registration:
    """Declare the answers and send them. `declared_by` is who is making the declaration (the
    staff member, in an assisted session): only the informant may. `taken_by` is the staff member
    who took the registration for the informant and `method` how the informant declared: online
    as themselves, with a one-time code sent to them (checked by the caller), or in person, read
    to and signed by them before `taken_by`. A registration a registrar took in person is
    registered by that registrar (not automatically) when every rule is met. A
    joint registration first waits for the other parent; otherwise it is registered at once when
    every rule is met, or goes to a registrar with its reason codes. Nothing is lost: a refused
    submission leaves the draft as it was."""
    today = today or rules.local_today()
    if method != Registration.DeclarationMethod.ONLINE and (taken_by is None or not taken_by.is_staff):
        raise RegistrationRefused("not_staff")
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("informant").get(pk=registration.pk)
        )
        if not may_declare(registration=registration, person=declared_by):
            raise RegistrationRefused("declaration_by_informant")
        if registration.status not in Registration.EDITABLE:
            raise RegistrationRefused("not_editable")
        registration.answers = {
            **(registration.answers or {}),
            "declaration": {"confirmed": True, "at": timezone.now().isoformat()},
        }
        missing = answers_module.missing_steps(registration, today)
        if missing:
            raise RegistrationRefused("incomplete", steps=missing)
        _refresh_derived(registration)
        registration.submitted_at = registration.declared_at = timezone.now()
        registration.declaration_method = method
        in_person = method == Registration.DeclarationMethod.IN_PERSON
        registration.declaration_witnessed_by = taken_by if in_person else None
        # Taken in person: the registrar before whom it was declared (or who took it) registers it.
        registrar = (taken_by if in_person else registration.made_by) if _taken_in_person(registration) else None
        registration.save()
        if (
            registration.event in (Event.BIRTH, Event.STILLBIRTH)
            and answers_module.second_parent_must_confirm(registration.answers)
            and not _second_parent_confirmed(registration)
        ):
            _invite_second_parent(registration)
            return registration
        asked_for_information = registration.status == Registration.Status.INFORMATION_REQUESTED
        return _decide(
            registration,
            today=today,
            back_to_registrar=asked_for_information,
            registrar=registrar,
        )


def _decide(
    registration: Registration, *, today: date, back_to_registrar: bool = False, registrar: User | None = None
) -> Registration:
    """Inside the caller's transaction, with the row locked and saved: register now or hand over.
    `registrar` is the registrar before whom the informant declared in person: they register it
    (the entry names them) rather than the service registering it automatically."""
    reasons = _reasons(registration, today=today)
    if not reasons and not back_to_registrar:
        registration.reasons = []
        registration.save(update_fields=["reasons"])
        register_registration(registration=registration, actor=registrar)
        registration.refresh_from_db()
        return registration
    if not registration.move(_hand_over_by(reasons), reasons=reasons):
        raise RegistrationRefused("not_open")
    _tell_informant(
        registration,
        "sent",
        lambda: (
            _("Your registration %(reference)s has been sent to a registrar. We will contact you if we need anything.")
            % {"reference": registration.reference}
        ),
    )
    return registration


@written_for
def registration_news_message(recipient: User, registration: Registration, body: Callable[[], str]) -> tuple[str, str]:
    return _("Your registration %(reference)s") % {"reference": registration.reference}, body()


def _tell_informant(registration: Registration, what: str, body: Callable[[], str], *, once: bool = False) -> None:
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


# --- Joint registration ---------------------------------------------------------------------------


def _second_parent_confirmed(registration: Registration) -> bool:
    record = (registration.answers or {}).get("_second_parent") or {}
    return bool(record.get("confirmed_at"))


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


def _invite_second_parent(registration: Registration) -> None:
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
        _tell_informant(
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
    _tell_informant(
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
        return _decide(registration, today=today)


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
        _tell_informant(
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


# --- Registering ---------------------------------------------------------------------------------


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
            and not _second_parent_confirmed(registration)
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
        _tell_informant(
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
        _tell_informant(
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
    _tell_informant(
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


# --- Medical certificates ----------------------------------------------------------------------


def record_medical_certificate(*, submitted_by: User, details: dict[str, Any]) -> MedicalCertificate:
    """A medical examiner's MCCD (validated by the serializer). Its district comes from the
    place of death's postcode when not given."""
    details = dict(details)
    postcode = details.pop("place_of_death_postcode", "")
    if details.get("district") is None and postcode:
        details["district"] = registration_district_for(postcode)
    details["reference"] = details["reference"].strip().upper()
    try:
        with transaction.atomic():
            certificate = MedicalCertificate.objects.create(submitted_by=submitted_by, **details)
            # Drafts waiting for this MCCD now get their deadline and district.
            for registration in Registration.objects.select_for_update(of=("self",)).filter(
                event=Event.DEATH,
                status__in=Registration.EDITABLE,
                answers__certificate__reference=certificate.reference,
            ):
                _refresh_derived(registration)
                registration.save()
    except IntegrityError as error:
        # Two sends of the same reference at once: the second is told, not failed.
        raise RegistrationRefused("duplicate_reference") from error
    return certificate


def release_from_coroner(
    *, certificate: MedicalCertificate, actor: User, inquest_open: bool = False, today: date | None = None
) -> MedicalCertificate:
    """The coroner releases a referred death. Registrations it blocked are assessed again: they
    are registered now if every other rule is met, otherwise they go to a registrar."""
    today = today or rules.local_today()
    with transaction.atomic():
        certificate = MedicalCertificate.objects.select_for_update().get(pk=certificate.pk)
        if not certificate.blocks_registration:
            raise RegistrationRefused("already_referred")
        certificate.coroner_released_at = timezone.now()
        certificate.inquest_open = inquest_open
        certificate.save(update_fields=["coroner_released_at", "inquest_open"])
        blocked = list(
            Registration.objects.select_for_update(of=("self",))
            .select_related("informant")
            .filter(medical_certificate=certificate, status=Registration.Status.BLOCKED_BY_CORONER)
        )
        for registration in blocked:
            registration.medical_certificate = certificate
            _decide(registration, today=today)
    return certificate


def record_written_notice(*, certificate: MedicalCertificate, actor: User | None = None) -> MedicalCertificate:
    """The registrar is told in writing that the MCCD was issued: the family has 9 more days.
    Open registrations using it get their new deadline at once (reminders follow it)."""
    with transaction.atomic():
        certificate = MedicalCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.extension_notified_at is None:
            certificate.extension_notified_at = timezone.now()
            certificate.save(update_fields=["extension_notified_at"])
        for registration in Registration.objects.select_for_update(of=("self",)).filter(
            medical_certificate=certificate, status__in=Registration.OPEN
        ):
            registration.deadline = rules.death_deadline(
                received_on=certificate.received_at.astimezone(UK).date(), extension_notified=True
            )
            registration.save(update_fields=["deadline"])
        if actor is not None and actor.is_staff:
            record_audit(
                actor=actor,
                action="registration.mccd_written_notice",
                object_type="medical_certificate",
                object_id=certificate.reference,
            )
    return certificate
