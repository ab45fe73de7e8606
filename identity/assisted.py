"""Assisted digital: a person gives phone support a single-use consent code, and staff who enter
it open a short assisted session on that person's case. Finding people shows the minimum until
then; every search, view and action is audited. Numbers are settings (ASSISTED_*)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.client import client_address as address_of
from core.references import ALPHABET

from .audit import record_audit
from .models import (
    AssistedSession,
    CodeChannel,
    ConsentCode,
    ConsentFailure,
    IdentityCase,
    OutboundMessage,
    SupportNote,
    User,
)
from .notifications import in_language_of, send_message, written_for
from .refusals import CodeThrottled, ConsentRefused, SupportRefused
from .services import request_sign_in_code


@written_for
def consent_code_text(recipient: User, code: str) -> tuple[str, str]:
    """A text message: no subject."""
    return "", _(
        "Your consent code for phone support is %(code)s. Read it only to our adviser. "
        "It works once, for %(minutes)s minutes."
    ) % {"code": code, "minutes": settings.ASSISTED_CONSENT_CODE_MINUTES}


def _hash(code: str, *, person_id: int, created_at) -> str:
    message = f"consent|{person_id}|{created_at.isoformat()}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalise_consent_code(code: str) -> str:
    """People read codes out with spaces and dashes, and lower case."""
    return "".join(char for char in (code or "").upper() if char.isalnum())


def issue_consent_code(*, person: User, by_text: bool = False) -> str:
    """A new code for the person to read out; any earlier live code stops working. The code
    itself is returned once, to be shown to the person, and never stored. `by_text` also sends
    it to the person's confirmed mobile number (at most OTP_RESEND_MAX_PER_HOUR texts an hour)."""
    if by_text:
        if not person.mobile_verified:
            raise ConsentRefused("no_mobile")
        texts = OutboundMessage.objects.filter(
            key__startswith=f"consent-sms:{person.pk}:", created_at__gte=timezone.now() - timedelta(hours=1)
        )
        if texts.count() >= settings.OTP_RESEND_MAX_PER_HOUR:
            raise ConsentRefused("too_many_texts")
    code = "".join(secrets.choice(ALPHABET) for _ in range(settings.ASSISTED_CONSENT_CODE_LENGTH))
    readable = f"{code[:4]}-{code[4:]}"
    now = timezone.now()
    with transaction.atomic():
        ConsentCode.objects.filter(person=person, used_at__isnull=True, killed_at__isnull=True).update(killed_at=now)
        consent = ConsentCode.objects.create(
            person=person,
            code_hash=_hash(code, person_id=person.pk, created_at=now),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.ASSISTED_CONSENT_CODE_MINUTES),
        )
        record_audit(actor=person, action="assisted.consent_code_issued", subject=person, detail={"by_text": by_text})
        if by_text:
            _subject, body = consent_code_text(person, readable)
            send_message(
                key=f"consent-sms:{person.pk}:{consent.pk}", channel=CodeChannel.SMS, to=person.mobile_number, body=body
            )
    return readable


def _locked(*, staff: User, person: User) -> bool:
    since = timezone.now() - timedelta(minutes=settings.ASSISTED_CONSENT_LOCK_MINUTES)
    failures = ConsentFailure.objects.filter(at__gte=since)
    return (
        failures.filter(staff=staff).count() >= settings.ASSISTED_MAX_WRONG_PER_STAFF
        or failures.filter(person=person).count() >= settings.ASSISTED_MAX_WRONG_PER_PERSON
    )


def open_assisted_session(
    *, staff: User, person: User, code: str, client_address: str | None = None
) -> AssistedSession:
    """Check and use the person's consent code (one transaction, code row locked, so it opens
    at most one session) and open a session limited in time. Wrong codes are counted per staff
    member and per person and are committed before the refusal is raised."""
    if not staff.is_staff or not staff.has_perm("identity.assist_citizens") or person.is_staff or staff.pk == person.pk:
        raise ConsentRefused("consent_not_allowed")
    given = normalise_consent_code(code)
    refusal = None
    session = None
    with transaction.atomic():
        if _locked(staff=staff, person=person):
            refusal = "consent_locked"
        else:
            now = timezone.now()
            consent = (
                ConsentCode.objects.select_for_update()
                .filter(person=person, used_at__isnull=True, killed_at__isnull=True)
                .order_by("-created_at")
                .first()
            )
            if consent is None or consent.expires_at <= now:
                refusal = "consent_expired" if consent is not None else "consent_incorrect"
            elif not hmac.compare_digest(
                consent.code_hash, _hash(given, person_id=person.pk, created_at=consent.created_at)
            ):
                refusal = "consent_incorrect"
                ConsentCode.objects.filter(pk=consent.pk).update(wrong_attempts=F("wrong_attempts") + 1)
                consent.refresh_from_db(fields=["wrong_attempts"])
                if consent.wrong_attempts >= settings.ASSISTED_MAX_WRONG_PER_PERSON:
                    ConsentCode.objects.filter(pk=consent.pk).update(killed_at=now)
            elif ConsentCode.objects.filter(pk=consent.pk, used_at__isnull=True).update(used_at=now) != 1:
                refusal = "consent_incorrect"
            else:
                # One open session per staff member: opening another closes the earlier one.
                AssistedSession.objects.filter(staff=staff, closed_at__isnull=True).update(closed_at=now)
                session = AssistedSession.objects.create(
                    staff=staff,
                    person=person,
                    consent=consent,
                    opened_at=now,
                    expires_at=now + timedelta(minutes=settings.ASSISTED_SESSION_MINUTES),
                )
        if refusal in ("consent_incorrect", "consent_expired"):
            ConsentFailure.objects.create(staff=staff, person=person)
        record_audit(
            actor=staff,
            action="assisted.session_opened" if session else "assisted.consent_refused",
            subject=person,
            object_type="assisted_session" if session else "",
            object_id=session.pk if session else "",
            reason=refusal or "",
            client_address=client_address,
        )
    if refusal:
        raise ConsentRefused(refusal)
    return session


def current_session(*, staff: User) -> AssistedSession | None:
    """The staff member's one open, unexpired session, if any."""
    return (
        AssistedSession.objects.select_related("person")
        .filter(staff=staff, closed_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-opened_at")
        .first()
    )


def record_assisted_request(*, request, session: AssistedSession) -> None:
    """Every page seen and every form sent in an assisted session, as done by the staff member
    on the person's behalf."""
    record_audit(
        actor=session.staff,
        on_behalf_of=session.person,
        subject=session.person,
        action="assisted.page_viewed" if request.method in ("GET", "HEAD") else "assisted.action",
        object_type="assisted_session",
        object_id=session.pk,
        detail={"method": request.method, "path": request.path[:200]},
        client_address=address_of(request),
    )


def open_session_for(*, staff: User, person: User) -> AssistedSession | None:
    """The staff member's open, unexpired session for this person, if any. Every action on
    the person's behalf asks this first: a session cannot outlive its time or reach anyone else."""
    return (
        AssistedSession.objects.filter(
            staff=staff, person=person, closed_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-opened_at")
        .first()
    )


def close_assisted_session(*, session: AssistedSession, actor: User) -> None:
    with transaction.atomic():
        closed = AssistedSession.objects.filter(pk=session.pk, closed_at__isnull=True).update(closed_at=timezone.now())
        if closed:
            record_audit(
                actor=actor,
                action="assisted.session_closed",
                subject=session.person,
                object_type="assisted_session",
                object_id=session.pk,
            )


@dataclass(frozen=True)
class PersonMatch:
    """What phone support sees before consent: the minimum to confirm they have the right person."""

    person_id: int
    name: str
    reference: str
    stage: str


def name_before_consent(person: User) -> str:
    """The person's name as phone support may see it before consent: the name on the account or
    on their identity check, never their email address (which `get_full_name` falls back to)."""
    if person.full_name:
        return person.full_name
    case = IdentityCase.objects.filter(person=person).order_by("-created_at").first()
    named = f"{case.given_names} {case.surname}".strip() if case else ""
    return named or str(_("Name not given"))


def before_consent(person: User) -> PersonMatch:
    """All the consent page shows of a person: name, reference and stage of their latest check."""
    case = IdentityCase.objects.filter(person=person).order_by("-created_at").first()
    return PersonMatch(
        person_id=person.pk,
        name=name_before_consent(person),
        reference=case.reference if case else "",
        stage=str(case.get_status_display()) if case else "",
    )


def _find_by_other_reference(reference: str) -> PersonMatch | None:
    """Other apps' references (bookings, registrations, orders): each app names a function in
    ASSISTED_REFERENCE_FINDERS that takes a reference and returns (person, stage) or None, so
    that identity does not import them."""
    for path in settings.ASSISTED_REFERENCE_FINDERS:
        found = import_string(path)(reference)
        if found is not None:
            person, stage = found
            if person.is_staff:
                return None
            return PersonMatch(
                person_id=person.pk, name=name_before_consent(person), reference=reference, stage=str(stage)
            )
    return None


def find_people(
    *,
    staff: User,
    reference: str = "",
    full_name: str = "",
    birth_date: date | None = None,
    postcode: str = "",
    client_address: str | None = None,
) -> list[PersonMatch]:
    """Find a person by a reference number, or by name, date of birth and postcode together
    (all three, so that a search cannot trawl). Audited whether or not anything is found."""
    matches: list[PersonMatch] = []
    cases = IdentityCase.objects.select_related("person").filter(person__is_staff=False)
    if reference:
        found = _find_by_other_reference(reference.strip().upper())
        if found is not None:
            matches.append(found)
        cases = cases.filter(reference__iexact=reference.strip())
    elif full_name and birth_date and postcode:
        words = full_name.split()
        cases = cases.filter(birth_date=birth_date, postcode__iexact=postcode.strip())
        name_filter = Q(surname__iexact=words[-1]) | Q(person__full_name__iexact=" ".join(words))
        cases = cases.filter(name_filter)
    else:
        cases = cases.none()
    seen: set[int] = {match.person_id for match in matches}
    for case in cases.order_by("-created_at")[:10]:
        if case.person_id in seen:
            continue
        seen.add(case.person_id)
        matches.append(
            PersonMatch(
                person_id=case.person_id,
                name=case.person.full_name or f"{case.given_names} {case.surname}".strip() or str(_("Name not given")),
                reference=case.reference,
                stage=str(case.get_status_display()),
            )
        )
    record_audit(
        actor=staff,
        action="assisted.search",
        detail={
            "by": "reference" if reference else "name_birth_date_postcode",
            "reference": reference.strip()[:30],
            "results": len(matches),
        },
        client_address=client_address,
    )
    return matches


def raise_support_note(*, staff: User, person: User, text: str, for_registrar: bool) -> SupportNote:
    """Record what the caller asked, and optionally ask a registrar to look. Audited."""
    text = (text or "").strip()
    if person.is_staff or not staff.has_perm("identity.assist_citizens"):
        raise SupportRefused("not_allowed")
    if not text:
        raise SupportRefused("text_required")
    if len(text) > settings.ASSISTED_NOTE_MAX_CHARACTERS:
        raise SupportRefused("text_too_long")
    with transaction.atomic():
        note = SupportNote.objects.create(person=person, staff=staff, text=text, for_registrar=for_registrar)
        record_audit(
            actor=staff,
            action="assisted.note_raised",
            subject=person,
            object_type="support_note",
            object_id=note.pk,
            detail={"for_registrar": for_registrar},
        )
    return note


def mark_note_handled(*, note: SupportNote, actor: User) -> SupportNote:
    """A registrar has dealt with a note raised to them. Once only; audited."""
    if not actor.has_perm("identity.work_cases") or actor.pk == note.person_id:
        raise SupportRefused("not_allowed")
    with transaction.atomic():
        done = SupportNote.objects.filter(pk=note.pk, for_registrar=True, handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=actor
        )
        if not done:
            raise SupportRefused("already_handled")
        record_audit(
            actor=actor,
            action="assisted.note_handled",
            subject=note.person,
            object_type="support_note",
            object_id=note.pk,
        )
    note.refresh_from_db()
    return note


def resend_sign_in_code(*, staff: User, person: User, client_address: str | None = None) -> None:
    """Send a new sign-in code to the person's own email address (never to one the caller
    gives), under the usual throttles. Audited."""
    if person.is_staff or not staff.has_perm("identity.assist_citizens"):
        raise SupportRefused("not_allowed")
    try:
        with in_language_of(person):  # the adviser's page is not the person's language
            request_sign_in_code(email=person.email, client_address=client_address)
    except CodeThrottled as throttled:
        # Said to the staff member, not to the person the throttle message addresses.
        raise SupportRefused("code_sent_recently") from throttled
    record_audit(actor=staff, action="assisted.code_resent", subject=person, client_address=client_address)
