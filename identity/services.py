"""Writes for accounts: one-time codes (request, check-and-consume), citizen sign-in, mobile
verification, staff passwords and authenticator apps, API tokens. Numbers come from settings,
which cite shared/IDENTITY-RULES.md."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .audit import record_audit
from .models import (
    ApiToken,
    CodeChannel,
    CodeFailure,
    CodePurpose,
    OneTimeCode,
    PasswordFailure,
    RegisterOffice,
    StaffAuthenticator,
    User,
)
from .notifications import send_message, written_for
from .refusals import CodeRejected, CodeThrottled, SignInRefused


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _hash_code(code: str, *, destination: str, created_at: datetime) -> str:
    # Keyed so that a database dump alone does not give the codes away.
    message = f"{destination}|{created_at.isoformat()}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _lifetime(channel: str) -> timedelta:
    minutes = settings.OTP_SMS_LIFETIME_MINUTES if channel == CodeChannel.SMS else settings.OTP_EMAIL_LIFETIME_MINUTES
    return timedelta(minutes=minutes)


def _failure_window(channel: str) -> timedelta:
    # The attempt window matches the code lifetime; the lock lasts OTP_LOCKOUT_MINUTES. Counting
    # over the longer of the two keeps a person locked for the whole lockout.
    return max(_lifetime(channel), timedelta(minutes=settings.OTP_LOCKOUT_MINUTES))


def code_lock_state(*, destination: str, purpose: str, channel: str, client_address: str | None) -> datetime | None:
    """When the code step for this destination (or client address) unlocks, or None if open."""
    now = timezone.now()
    failures = CodeFailure.objects.filter(destination=destination, purpose=purpose)
    window_start = now - _failure_window(channel)
    recent = list(failures.filter(at__gte=window_start).order_by("-at").values_list("at", flat=True))
    if len(recent) >= settings.OTP_MAX_WRONG_PER_CODE:
        return recent[0] + timedelta(minutes=settings.OTP_LOCKOUT_MINUTES)
    daily = list(failures.filter(at__gte=now - timedelta(hours=24)).order_by("at").values_list("at", flat=True))
    if len(daily) >= settings.OTP_MAX_FAILURES_PER_DAY:
        return daily[0] + timedelta(hours=24)
    if client_address:
        from_address = CodeFailure.objects.filter(client_address=client_address, at__gte=now - timedelta(hours=1))
        if from_address.count() >= settings.OTP_MAX_FAILURES_PER_ADDRESS_PER_HOUR:
            return now + timedelta(minutes=settings.OTP_LOCKOUT_MINUTES)
    return None


def _check_request_throttle(*, destination: str, purpose: str, client_address: str | None) -> None:
    now = timezone.now()
    sent = OneTimeCode.objects.filter(
        destination=destination, purpose=purpose, created_at__gte=now - timedelta(hours=1)
    )
    last = sent.order_by("-created_at").values_list("created_at", flat=True).first()
    if last and (now - last).total_seconds() < settings.OTP_RESEND_MIN_SECONDS:
        raise CodeThrottled(settings.OTP_RESEND_MIN_SECONDS - (now - last).total_seconds())
    times = list(sent.order_by("created_at").values_list("created_at", flat=True))
    if len(times) >= settings.OTP_RESEND_MAX_PER_HOUR:
        raise CodeThrottled((times[0] + timedelta(hours=1) - now).total_seconds())
    if client_address:
        from_address = OneTimeCode.objects.filter(
            requested_from=client_address, created_at__gte=now - timedelta(hours=1)
        )
        if from_address.count() >= settings.OTP_MAX_REQUESTS_PER_ADDRESS_PER_HOUR:
            raise CodeThrottled(15 * 60)


@written_for
def code_message(recipient: User | str, code: str, purpose: str, channel: str) -> tuple[str, str]:
    minutes = int(_lifetime(channel).total_seconds() // 60)
    if purpose == CodePurpose.SIGN_IN:
        subject = _("Your %(service)s security code") % {"service": settings.SERVICE_NAME}
        body = _(
            "Your security code is %(code)s. It expires in %(minutes)s minutes. "
            "If you did not ask for this code, you can ignore this message."
        ) % {"code": code, "minutes": minutes}
    elif purpose == CodePurpose.DECLARATION:
        # A registrar or phone support took a registration for the person; the code is how they
        # make the declaration themselves (read back on the call, or typed in from the link).
        subject = _("Your code to declare a registration")
        body = _(
            "Your code to make the declaration is %(code)s. It expires in %(minutes)s minutes. Give it only to "
            "the registrar or adviser helping you, or enter it yourself from the link we sent."
        ) % {"code": code, "minutes": minutes}
    else:
        subject = _("Confirm your mobile number")
        body = _(
            "%(code)s is your %(service)s code to confirm this mobile number. It expires in %(minutes)s minutes."
        ) % {
            "code": code,
            "service": settings.SERVICE_NAME,
            "minutes": minutes,
        }
    return subject, body


def request_code(
    *, destination: str, channel: str, purpose: str, client_address: str | None, user: User | None = None
) -> OneTimeCode:
    """Create and send a new code, killing any earlier live one. Raises CodeThrottled.

    Behaves the same whether or not an account exists for the destination: codes are sent
    to any address, and the account is made only when a code is used."""
    with transaction.atomic():
        _check_request_throttle(destination=destination, purpose=purpose, client_address=client_address)
        now = timezone.now()
        OneTimeCode.objects.filter(
            destination=destination, purpose=purpose, consumed_at__isnull=True, killed_at__isnull=True
        ).update(killed_at=now)
        code = pyotp.HOTP(pyotp.random_base32(32), digits=6).at(0)
        record = OneTimeCode.objects.create(
            purpose=purpose,
            channel=channel,
            destination=destination,
            user=user,
            code_hash=_hash_code(code, destination=destination, created_at=now),
            created_at=now,
            expires_at=now + _lifetime(channel),
            requested_from=client_address,
        )
        # A code is asked for on a page, by someone who may have no account yet: in the account
        # holder's language if we know whom it is for, else in the language of that page.
        subject, body = code_message(user or translation.get_language(), code, purpose, channel)
        send_message(key=f"otp:{record.pk}", channel=channel, to=destination, subject=subject, body=body)
    return record


def _record_failure(*, destination: str, purpose: str, client_address: str | None) -> None:
    CodeFailure.objects.create(destination=destination, purpose=purpose, client_address=client_address)


def check_code(*, destination: str, purpose: str, channel: str, code: str, client_address: str | None) -> OneTimeCode:
    """Check and consume a code in one transaction with the code row locked, so parallel
    guesses are counted one by one and a code is used at most once. Raises CodeRejected.

    A wrong guess is committed (its count and failure record) before the rejection is
    raised, so raising never rolls the count back."""
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        record, refusal = _check_and_consume(
            destination=destination, purpose=purpose, channel=channel, code=code, client_address=client_address
        )
    if refusal:
        raise CodeRejected(refusal)
    return record


def _check_and_consume(
    *, destination: str, purpose: str, channel: str, code: str, client_address: str | None
) -> tuple[OneTimeCode | None, str | None]:
    if code_lock_state(destination=destination, purpose=purpose, channel=channel, client_address=client_address):
        return None, "code_locked"
    now = timezone.now()
    record = (
        OneTimeCode.objects.select_for_update()
        .filter(destination=destination, purpose=purpose, consumed_at__isnull=True, killed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if record is None or record.expires_at <= now:
        _record_failure(destination=destination, purpose=purpose, client_address=client_address)
        return None, "code_expired" if record is not None else "code_incorrect"
    given = _hash_code(code, destination=destination, created_at=record.created_at)
    if not hmac.compare_digest(record.code_hash, given):
        record.wrong_attempts = F("wrong_attempts") + 1
        record.save(update_fields=["wrong_attempts"])
        record.refresh_from_db(fields=["wrong_attempts"])
        if record.wrong_attempts >= settings.OTP_MAX_WRONG_PER_CODE:
            record.killed_at = now
            record.save(update_fields=["killed_at"])
        _record_failure(destination=destination, purpose=purpose, client_address=client_address)
        return None, "code_incorrect"
    # Compare-and-swap as well as the lock, so SQLite (no row locks) cannot use it twice.
    consumed = OneTimeCode.objects.filter(pk=record.pk, consumed_at__isnull=True, killed_at__isnull=True).update(
        consumed_at=now
    )
    if consumed != 1:
        return None, "code_incorrect"
    record.consumed_at = now
    return record, None


@dataclass(frozen=True)
class SignInResult:
    user: User
    created: bool


def request_sign_in_code(*, email: str, client_address: str | None) -> None:
    request_code(
        destination=normalise_email(email),
        channel=CodeChannel.EMAIL,
        purpose=CodePurpose.SIGN_IN,
        client_address=client_address,
    )


def sign_in_with_code(*, email: str, code: str, client_address: str | None) -> SignInResult:
    """Check the code, then find or create the citizen's account. Raises CodeRejected, or
    SignInRefused for a staff address (which must use the staff sign-in) or a closed account."""
    email = normalise_email(email)
    check_code(
        destination=email,
        purpose=CodePurpose.SIGN_IN,
        channel=CodeChannel.EMAIL,
        code=code,
        client_address=client_address,
    )
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email=email)
        if user.is_staff:
            # Only the owner of the mailbox reaches this, so saying so reveals nothing.
            raise SignInRefused("staff_account")
        if not user.is_active:
            raise SignInRefused("account_closed")
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return SignInResult(user=user, created=created)


def request_mobile_code(*, user: User, mobile_number: str, client_address: str | None) -> None:
    with transaction.atomic():
        user.mobile_number = mobile_number
        user.mobile_verified_at = None
        user.save(update_fields=["mobile_number", "mobile_verified_at"])
        request_code(
            destination=mobile_number,
            channel=CodeChannel.SMS,
            purpose=CodePurpose.VERIFY_MOBILE,
            client_address=client_address,
            user=user,
        )


def verify_mobile(*, user: User, code: str, client_address: str | None) -> User:
    if not user.mobile_number:
        raise CodeRejected("code_expired")
    record = check_code(
        destination=user.mobile_number,
        purpose=CodePurpose.VERIFY_MOBILE,
        channel=CodeChannel.SMS,
        code=code,
        client_address=client_address,
    )
    if record.user_id != user.pk:
        raise CodeRejected("code_incorrect")
    user.mobile_verified_at = timezone.now()
    user.save(update_fields=["mobile_verified_at"])
    return user


# --- Staff -----------------------------------------------------------------------------------------


def _staff_locked(email: str, client_address: str | None) -> bool:
    since = timezone.now() - timedelta(hours=1)
    limit = settings.STAFF_PASSWORD_MAX_FAILURES_PER_HOUR
    if PasswordFailure.objects.filter(email=email, at__gte=since).count() >= limit:
        return True
    return bool(
        client_address
        and PasswordFailure.objects.filter(client_address=client_address, at__gte=since).count() >= limit * 5
    )


def check_staff_password(*, email: str, password: str, client_address: str | None) -> User:
    """First factor. Raises SignInRefused; the same message for a wrong address or password."""
    email = normalise_email(email)
    if _staff_locked(email, client_address):
        raise SignInRefused("locked")
    user = authenticate(username=email, password=password)
    if user is None or not user.is_staff:
        PasswordFailure.objects.create(email=email, client_address=client_address)
        raise SignInRefused("wrong_password")
    return user


def start_authenticator_enrolment(*, user: User) -> StaffAuthenticator:
    """A new secret of 160 bits (32 base32 characters), unconfirmed until a code is given."""
    authenticator, _created = StaffAuthenticator.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(32), "confirmed_at": None, "last_used_step": 0}
    )
    return authenticator


def provisioning_uri(authenticator: StaffAuthenticator) -> str:
    totp = pyotp.TOTP(authenticator.secret, interval=settings.TOTP_INTERVAL_SECONDS)
    return totp.provisioning_uri(name=authenticator.user.email, issuer_name=settings.SERVICE_NAME)


def check_staff_totp(*, user: User, code: str, client_address: str | None, confirming: bool = False) -> User:
    """Second factor: accept a code from the current step or one step either side, and only
    for a time step later than the last one accepted, so a code never works twice."""
    if _staff_locked(user.email, client_address):
        raise SignInRefused("locked")
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        accepted = _accept_totp(user=user, code=code, confirming=confirming)
        if accepted:
            record_audit(
                actor=user,
                action="staff.authenticator_confirmed" if confirming else "staff.signed_in",
                client_address=client_address,
            )
        else:
            # Committed with the transaction, not rolled back by the refusal below.
            PasswordFailure.objects.create(email=user.email, client_address=client_address)
    if not accepted:
        raise SignInRefused("wrong_enrolment_code" if confirming else "wrong_authenticator_code")
    return user


def check_staff_factors(*, email: str, password: str, code: str, client_address: str | None) -> User:
    """Both factors at once (the API's staff sign-in). A wrong address, password or code gives
    the same refusal, so the answer never says which one was wrong."""
    try:
        user = check_staff_password(email=email, password=password, client_address=client_address)
        return check_staff_totp(user=user, code=code, client_address=client_address)
    except SignInRefused as refused:
        if refused.code == "locked":
            raise
        raise SignInRefused("invalid_credentials") from refused


def _accept_totp(*, user: User, code: str, confirming: bool) -> bool:
    authenticator = StaffAuthenticator.objects.select_for_update().filter(user=user).first()
    if authenticator is None or authenticator.confirmed == confirming:
        return False
    totp = pyotp.TOTP(authenticator.secret, interval=settings.TOTP_INTERVAL_SECONDS)
    now = timezone.now()
    current_step = totp.timecode(now)
    matched_step = None
    for offset in range(-settings.TOTP_VALID_WINDOW, settings.TOTP_VALID_WINDOW + 1):
        step = current_step + offset
        if hmac.compare_digest(totp.generate_otp(step).encode(), code.encode()):
            matched_step = step
    if matched_step is None or matched_step <= authenticator.last_used_step:
        return False
    authenticator.last_used_step = matched_step
    if confirming:
        authenticator.confirmed_at = now
    authenticator.save(update_fields=["last_used_step", "confirmed_at"])
    return True


# --- API tokens -------------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_token(*, user: User) -> tuple[str, datetime]:
    """Return a new bearer token and when it expires; only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    return raw, token.expires_at


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- Offices and staff -------------------------------------------------------------------------------


def import_register_offices(*, rows: list[dict[str, str]]) -> int:
    """Create or update offices by code; running it again changes nothing."""
    with transaction.atomic():
        for row in rows:
            RegisterOffice.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "welsh_name": row.get("welsh_name", ""),
                    "region": row["region"],
                    "address": row["address"],
                    "town": row["town"],
                    "postcode": row["postcode"],
                    "latitude": row["latitude"],
                    "longitude": row["longitude"],
                },
            )
    return len(rows)


def ensure_staff_member(
    *,
    email: str,
    full_name: str,
    password: str,
    roles: list[str],
    office_codes: list[str],
    authenticator_secret: str | None = None,
) -> User:
    """Create or update a staff account with its roles and offices (demo data, admin tools)."""
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first() or User(email=normalise_email(email))
        user.full_name = full_name
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        user.offices.set(RegisterOffice.objects.filter(code__in=office_codes))
        if authenticator_secret:
            StaffAuthenticator.objects.update_or_create(
                user=user,
                defaults={"secret": authenticator_secret, "confirmed_at": timezone.now()},
            )
    return user


def set_language(*, user: User, language: str) -> User:
    """Remember the language the person chose, for everything sent to them later."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
    return user
