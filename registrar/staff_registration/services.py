"""Writes for registrations taken by staff: start one (in person for an informant the registrar
sees, or by phone for the person in an assisted session), answer its questions, and record the
informant's declaration: a one-time code sent to them (identity's code machinery and throttles)
or in person before the registrar. The questions, rules and the decision are the citizen
journey's own (`registrar.services`); this module only checks who may act and audits it."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from identity.audit import record_audit
from identity.models import CodeChannel, CodePurpose, User
from identity.notifications import send_message, written_for
from identity.refusals import CodeRejected
from identity.services import check_code, normalise_email, request_code

from .. import answers as answers_module
from .. import services
from ..case_selectors import offices_for
from ..models import Registration
from .refusals import StaffRegistrationRefused
from .selectors import ASSIST, WORK, assisted_session_of, taken_registration

LINK_SALT = "registrar.staff-declaration"
# Informants a registrar records without an email address get an address that can never be
# delivered (RFC 2606 reserves .invalid): the person record needs one, and no message reaches it.
NO_EMAIL_DOMAIN = "no-email.invalid"
DECLARATION_CODE = "_declaration_code"


def has_no_email(person: User) -> bool:
    return person.email.endswith("@" + NO_EMAIL_DOMAIN)


def _audit(*, staff: User, registration: Registration, action: str, **detail: Any) -> None:
    record_audit(
        actor=staff,
        action=action,
        subject=registration.informant,
        on_behalf_of=registration.informant if registration.assisted_session_id else None,
        object_type="registration",
        object_id=registration.reference,
        detail={name: value for name, value in detail.items() if value not in ("", None)} or None,
    )


def record_view(*, staff: User, registration: Registration, page: str) -> None:
    """Every page of a taken registration a staff member opens."""
    _audit(staff=staff, registration=registration, action="staff_registration.viewed", page=page)


def _informant_for(*, registrar: User, full_name: str, email: str, mobile: str) -> User:
    """Find the informant's person record by email, as signing in does, or make one. An existing
    account is never changed by staff (a registrar cannot redirect its codes elsewhere)."""
    email = normalise_email(email or "")
    person = User.objects.filter(email__iexact=email).first() if email else None
    if person is None:
        person = User.objects.create_user(
            email=email or f"informant-{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}",
            full_name=full_name.strip(),
            mobile_number=(mobile or "").strip(),
        )
    if person.is_staff:
        raise StaffRegistrationRefused("informant_is_staff")
    if person.pk == registrar.pk:
        raise StaffRegistrationRefused("own_registration")
    return person


def take_in_person(
    *, registrar: User, event: str, full_name: str, email: str = "", mobile: str = "", documents: str
) -> Registration:
    """A registrar at the office starts a registration for the informant in front of them, whose
    identity they establish by seeing documents (recorded), not by an online check."""
    if not registrar.is_staff or not registrar.has_perm(WORK):
        raise StaffRegistrationRefused("not_allowed")
    if not (documents or "").strip():
        raise StaffRegistrationRefused("documents_required")
    with transaction.atomic():
        informant = _informant_for(registrar=registrar, full_name=full_name, email=email, mobile=mobile)
        registration = services.start_registration(
            informant=informant, event=event, made_by=registrar, informant_documents=documents.strip()
        )
        _audit(staff=registrar, registration=registration, action="staff_registration.started", how="in_person")
    return registration


def take_by_phone(*, staff: User, event: str) -> Registration:
    """Phone support starts a registration for the person in their open assisted session."""
    session = assisted_session_of(staff) if staff.is_staff else None
    if session is None:
        raise StaffRegistrationRefused("no_session" if staff.has_perm(ASSIST) else "not_allowed")
    with transaction.atomic():
        registration = services.start_registration(
            informant=session.person, event=event, made_by=staff, assisted_session=session
        )
        _audit(staff=staff, registration=registration, action="staff_registration.started", how="phone")
    return registration


def working(*, staff: User, reference: str) -> Registration:
    """The taken registration `reference`, if this staff member may work on it."""
    registration = taken_registration(staff=staff, reference=reference)
    if registration is None:
        raise StaffRegistrationRefused("not_found")
    return registration


def _check_office(*, staff: User, registration: Registration) -> None:
    """In person, the registrar of the district registers: a place outside the registrar's
    offices is refused (phone support is national and registers nothing by hand)."""
    if registration.assisted_session_id or registration.district_id is None:
        return
    if not offices_for(staff).filter(pk=registration.district_id).exists():
        raise StaffRegistrationRefused("other_office")


def save_step(*, staff: User, registration: Registration, step: str, values: dict[str, Any]) -> Registration:
    """One question's answers, validated by the citizen journey's own form, saved by its own
    service. A refusal rolls the answer back, so nothing is half-saved."""
    registration = working(staff=staff, reference=registration.reference)
    before = (registration.answers or {}).get(step)
    with transaction.atomic():
        registration = services.save_answers(registration=registration, step=step, values=values)
        _check_office(staff=staff, registration=registration)
        if registration.answers.get(step) != before and DECLARATION_CODE in registration.answers:
            # The informant declares the answers as they finally stand: a code (and its link)
            # sent for the earlier answers no longer declares anything.
            registration.answers = {k: v for k, v in registration.answers.items() if k != DECLARATION_CODE}
            registration.save(update_fields=["answers"])
        _audit(staff=staff, registration=registration, action="staff_registration.answered", step=step)
    return registration


def _ready(registration: Registration) -> None:
    if registration.status not in Registration.EDITABLE:
        raise StaffRegistrationRefused("not_found")
    if [name for name in answers_module.missing_steps(registration) if name != "declaration"]:
        raise StaffRegistrationRefused("not_ready")


def code_destinations(registration: Registration) -> dict[str, str]:
    """Where a declaration code may go: the informant's own email, and their confirmed mobile
    (or, for a person record a registrar made without an email, the mobile they recorded)."""
    person = registration.informant
    found = {}
    if not has_no_email(person):
        found[CodeChannel.EMAIL] = person.email
    if person.mobile_number and (person.mobile_verified or has_no_email(person)):
        found[CodeChannel.SMS] = person.mobile_number
    return found


def declaration_link(registration: Registration) -> str:
    record = (registration.answers or {}).get(DECLARATION_CODE) or {}
    token = signing.dumps({"r": registration.reference, "n": record.get("nonce", "")}, salt=LINK_SALT)
    return settings.SITE_URL + reverse("staff-registration-declare:declare", args=[token])


def registration_for_link(token: str) -> Registration:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(minutes=settings.STAFF_REGISTRATION_LINK_MINUTES))
    except signing.BadSignature as error:
        raise StaffRegistrationRefused("link_invalid") from error
    registration = (
        Registration.objects.select_related("informant", "made_by")
        .filter(reference=data.get("r", ""), made_by__isnull=False)
        .first()
    )
    record = ((registration.answers or {}).get(DECLARATION_CODE) or {}) if registration else {}
    if (
        registration is None
        or not record.get("nonce")
        or not secrets.compare_digest(str(record["nonce"]), str(data.get("n", "")))
    ):
        raise StaffRegistrationRefused("link_invalid")
    return registration


@written_for
def declaration_link_message(recipient: User, registration: Registration) -> tuple[str, str]:
    return _("Declare registration %(reference)s") % {"reference": registration.reference}, _(
        "To make the declaration yourself, open %(link)s and enter the code we sent you. Check the "
        "details first: you declare they are true."
    ) % {"link": declaration_link(registration)}


def send_declaration_code(
    *, staff: User, registration: Registration, channel: str, client_address: str | None = None
) -> Registration:
    """Send the informant a one-time code to make the declaration with, and a signed link to
    enter it on their own device. Throttled as every code is (identity's `CodeThrottled`)."""
    registration = working(staff=staff, reference=registration.reference)
    _ready(registration)
    destination = code_destinations(registration).get(channel)
    if not destination:
        raise StaffRegistrationRefused("no_destination")
    with transaction.atomic():
        code = request_code(
            destination=destination,
            channel=channel,
            purpose=CodePurpose.DECLARATION,
            client_address=client_address,
            user=registration.informant,
        )
        record = {"channel": channel, "nonce": secrets.token_urlsafe(12), "sent_at": timezone.now().isoformat()}
        Registration.objects.filter(pk=registration.pk).update(
            answers={**(registration.answers or {}), DECLARATION_CODE: record}
        )
        registration.answers = {**(registration.answers or {}), DECLARATION_CODE: record}
        subject, body = declaration_link_message(registration.informant, registration)
        send_message(
            key=f"registration:{registration.reference}:declare-link:{code.pk}",
            channel=channel,
            to=destination,
            subject=subject,
            body=body,
        )
        _audit(staff=staff, registration=registration, action="staff_registration.code_sent", channel=channel)
    return registration


def declare_with_code(
    *,
    registration: Registration,
    code: str,
    entered_by: User | None = None,
    client_address: str | None = None,
    today: date | None = None,
) -> Registration:
    """The informant's declaration by the code sent to them: read back on the call and typed by
    staff (`entered_by`), or entered by the informant from the signed link (`entered_by` None).
    A wrong, expired or locked code is refused with identity's own refusals and counts."""
    if entered_by is not None:
        registration = working(staff=entered_by, reference=registration.reference)
    _ready(registration)
    record = (registration.answers or {}).get(DECLARATION_CODE) or {}
    destination = code_destinations(registration).get(record.get("channel", ""))
    if not destination:
        raise StaffRegistrationRefused("no_code_sent")
    consumed = check_code(
        destination=destination,
        purpose=CodePurpose.DECLARATION,
        channel=record["channel"],
        code=code,
        client_address=client_address,
    )
    if consumed.user_id != registration.informant_id:
        raise CodeRejected("code_incorrect")
    with transaction.atomic():
        registration = services.submit_registration(
            registration=registration,
            declared_by=registration.informant,
            taken_by=entered_by or registration.made_by,
            method=Registration.DeclarationMethod.CODE,
            today=today,
        )
        _audit(
            staff=entered_by or registration.made_by,
            registration=registration,
            action="staff_registration.declared",
            method=Registration.DeclarationMethod.CODE,
            entered_by="staff" if entered_by is not None else "informant",
            status=registration.status,
        )
    return registration


def declare_in_person(
    *, registrar: User, registration: Registration, read_and_signed: bool, today: date | None = None
) -> Registration:
    """The informant, at the office, has had the declaration read to them and signed it: the
    registrar records it, and registers at once when every rule is met (the same rules)."""
    registration = working(staff=registrar, reference=registration.reference)
    if registration.assisted_session_id:
        raise StaffRegistrationRefused("not_in_person")
    if not registrar.has_perm(WORK):
        raise StaffRegistrationRefused("not_allowed")
    _check_office(staff=registrar, registration=registration)
    if registration.informant_id == registrar.pk:
        raise StaffRegistrationRefused("own_registration")
    if not read_and_signed:
        raise StaffRegistrationRefused("not_read_and_signed")
    _ready(registration)
    with transaction.atomic():
        registration = services.submit_registration(
            registration=registration,
            declared_by=registration.informant,
            taken_by=registrar,
            method=Registration.DeclarationMethod.IN_PERSON,
            today=today,
        )
        _audit(
            staff=registrar,
            registration=registration,
            action="staff_registration.declared",
            method=Registration.DeclarationMethod.IN_PERSON,
            status=registration.status,
        )
    return registration
