"""Citizenship ceremonies, the registrar's side (the writes):

- the Home Office's invitation taken in (its API), attend_by = invited + CITIZENSHIP_INVITATION_MONTHS,
  the person emailed a signed link;
- the person, signed in with a medium-confidence identity, accepts it: matched when their verified
  names and date of birth are the invitation's, otherwise a registrar checks (never silently);
- a seat at a group ceremony on or before attend_by (booking.services holds the seats), moved or
  cancelled; or a private ceremony asked for instead (recorded for the office to arrange, with the fee);
- a registrar extends attend_by with a reason, and on the day records each attendee: oath or
  affirmation (English or Welsh), pledge and certificate handed over, or did not attend; an entry in
  the citizenship register for each who took the oath and the pledge; all audited; then told to the
  Home Office by a task (registrar.tasks.citizenship) that retries.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from booking import services as booking_services
from booking.models import Booking, CitizenshipCeremony, CitizenshipSeat
from core.places import registration_district_for
from core.queue import enqueue_on_commit
from core.references import new_reference
from identity.audit import record_audit
from identity.models import User
from identity.notifications import language_at, send_message, written_for
from identity.selectors import has_medium_confidence

from .. import events
from ..models import WORK_CITIZENSHIP, CeremonyAttendance, CitizenshipInvitation, Event, EventKind, RegisterEntry
from ..register import write_entry
from ..rules import add_months
from . import selectors
from .refusals import CitizenshipRefused

LINK_SALT = "registrar.citizenship.invitation"
Status = CitizenshipInvitation.Status


def attend_by_for(invited_on: date) -> date:
    return add_months(invited_on, settings.CITIZENSHIP_INVITATION_MONTHS)


# --- The Home Office's invitation -------------------------------------------------------------------


def link_token(invitation: CitizenshipInvitation) -> str:
    return signing.dumps({"i": invitation.reference, "k": invitation.link_nonce}, salt=LINK_SALT)


def receive_invitation(
    *,
    actor: User,
    home_office_reference: str,
    forenames: str,
    surname: str,
    date_of_birth: date,
    email: str,
    postcode: str,
    route: str,
    invited_on: date,
) -> CitizenshipInvitation:
    """One invitation from the Home Office's client; a Home Office reference sent again is refused."""
    if not actor.has_perm("registrar.send_citizenship_invitations"):
        raise CitizenshipRefused("citizenship_not_permitted")
    office = registration_district_for(postcode)
    try:
        with transaction.atomic():
            invitation = CitizenshipInvitation.objects.create(
                reference=new_reference("CI"),
                home_office_reference=home_office_reference,
                forenames=forenames,
                surname=surname,
                date_of_birth=date_of_birth,
                email=email,
                postcode=postcode,
                route=route,
                invited_on=invited_on,
                attend_by=attend_by_for(invited_on),
                office=office,
                link_nonce=secrets.token_urlsafe(16),
            )
            _email_link(invitation)
    except IntegrityError as error:
        raise CitizenshipRefused("citizenship_duplicate_invitation") from error
    return invitation


@written_for
def citizenship_invitation_message(recipient: str, invitation: CitizenshipInvitation) -> tuple[str, str]:
    link = settings.SITE_URL + reverse("citizenship:accept", args=[link_token(invitation)])
    return _("Book your citizenship ceremony"), _(
        "The Home Office has invited you to a citizenship ceremony. Book a ceremony before %(date)s. "
        "Sign in, prove your identity and accept your invitation: %(link)s"
    ) % {"date": _long_date(invitation.attend_by), "link": link}


def _email_link(invitation: CitizenshipInvitation) -> None:
    # The Home Office gives an address, and no language: an account's, else the service's default.
    subject, body = citizenship_invitation_message(language_at(invitation.email, otherwise=None), invitation)
    send_message(
        key=f"citizenship:{invitation.reference}:invite:{invitation.link_nonce}",
        channel="email",
        to=invitation.email,
        subject=subject,
        body=body,
    )


def _long_date(day: date) -> str:
    from django.utils import formats

    return formats.date_format(day, "j F Y")


def invitation_for_link(token: str) -> CitizenshipInvitation:
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as error:
        raise CitizenshipRefused("citizenship_link_invalid") from error
    if not isinstance(data, dict):
        raise CitizenshipRefused("citizenship_link_invalid")
    invitation = CitizenshipInvitation.objects.filter(reference=str(data.get("i", ""))).first()
    nonce = str(data.get("k", ""))
    if invitation is None or not nonce or not secrets.compare_digest(invitation.link_nonce or "", nonce):
        raise CitizenshipRefused("citizenship_link_invalid")
    return invitation


def accept_invitation(*, token: str, person: User) -> CitizenshipInvitation:
    """The person, with a medium-confidence identity, takes the invitation: matched at once when
    their verified names and date of birth are the invitation's, else a registrar checks."""
    invitation = invitation_for_link(token)
    if not has_medium_confidence(person):
        raise CitizenshipRefused("citizenship_identity_not_verified")
    with transaction.atomic():
        invitation = CitizenshipInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.person_id == person.pk:
            return invitation
        if invitation.person_id is not None:
            raise CitizenshipRefused("citizenship_taken")
        if invitation.status == Status.TO_CHECK:
            if invitation.claimed_by_id == person.pk:
                return invitation
            raise CitizenshipRefused("citizenship_to_check")
        if invitation.status != Status.INVITED:
            raise CitizenshipRefused("citizenship_not_open")
        found = selectors.mismatches(invitation, selectors.verified_identity(person))
        now = timezone.now()
        if found:
            invitation.move("to_check", claimed_by=person, mismatch=found)
        else:
            invitation.move("match", person=person, matched_at=now, claimed_by=person, mismatch=[])
    return invitation


# --- Registrars: the check, the extension -------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if not (actor.is_staff and actor.has_perm(WORK_CITIZENSHIP)):
        raise CitizenshipRefused("citizenship_not_permitted")


def _require_office(actor: User, office) -> None:
    if actor.is_superuser or office is None:
        return
    if not actor.offices.filter(pk=office.pk).exists():
        raise CitizenshipRefused("citizenship_wrong_office")


@written_for
def invitation_checked_message(recipient: User, *, same_person: bool) -> tuple[str, str]:
    if same_person:
        return _("Your citizenship ceremony invitation"), _(
            "A registrar has checked your details. You can now book your citizenship ceremony."
        )
    return _("Your citizenship ceremony invitation"), _(
        "A registrar could not match your account to this invitation. Contact your register office if you were invited."
    )


def decide_match(*, actor: User, invitation: CitizenshipInvitation, same_person: bool, reason: str = "") -> None:
    """A registrar, having compared the person's identity with the invitation, matches them or
    sends the invitation back to be accepted by the right person."""
    _require_staff(actor)
    _require_office(actor, invitation.office)
    with transaction.atomic():
        invitation = CitizenshipInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Status.TO_CHECK or invitation.claimed_by_id is None:
            raise CitizenshipRefused("citizenship_not_to_check")
        claimant = invitation.claimed_by
        if same_person:
            invitation.move("match", person=claimant, matched_at=timezone.now(), matched_by=actor)
        else:
            CitizenshipInvitation.objects.filter(pk=invitation.pk).update(
                status=Status.INVITED, claimed_by=None, mismatch=[]
            )
        record_audit(
            actor=actor,
            action="citizenship.match_decided",
            subject=claimant,
            object_type="citizenship_invitation",
            object_id=invitation.reference,
            reason=reason,
            detail={"same_person": same_person, "mismatch": invitation.mismatch},
        )
        if claimant.email:
            subject, body = invitation_checked_message(claimant, same_person=same_person)
            send_message(
                key=f"citizenship:{invitation.reference}:checked:{claimant.pk}:{int(same_person)}",
                channel="email",
                to=claimant.email,
                subject=subject,
                body=body,
            )


def extend(*, actor: User, invitation: CitizenshipInvitation, reason: str) -> CitizenshipInvitation:
    """attend_by moves on by CITIZENSHIP_EXTENSION_MONTHS, from the later of attend_by and today."""
    _require_staff(actor)
    _require_office(actor, invitation.office)
    with transaction.atomic():
        invitation = CitizenshipInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status not in CitizenshipInvitation.OPEN:
            raise CitizenshipRefused("citizenship_not_open")
        start = max(invitation.attend_by, timezone.localdate())
        old = invitation.attend_by
        invitation.attend_by = add_months(start, settings.CITIZENSHIP_EXTENSION_MONTHS)
        invitation.extended_at, invitation.extended_by, invitation.extension_reason = timezone.now(), actor, reason
        invitation.save(update_fields=["attend_by", "extended_at", "extended_by", "extension_reason"])
        record_audit(
            actor=actor,
            action="citizenship.invitation_extended",
            subject=invitation.person,
            object_type="citizenship_invitation",
            object_id=invitation.reference,
            reason=reason,
            detail={"from": old.isoformat(), "to": invitation.attend_by.isoformat()},
        )
    return invitation


# --- The new citizen: seats and private ceremonies ------------------------------------------------------


def _own_open(person: User, invitation: CitizenshipInvitation) -> CitizenshipInvitation:
    if invitation.person_id != person.pk:
        raise CitizenshipRefused("citizenship_not_found")
    if invitation.status != Status.MATCHED:
        raise CitizenshipRefused("citizenship_not_open")
    if not selectors.may_still_book(invitation):
        raise CitizenshipRefused("citizenship_past_attend_by")
    return invitation


def check_may_book(*, person: User, invitation: CitizenshipInvitation) -> None:
    _own_open(person, invitation)
    if invitation.private:
        raise CitizenshipRefused("citizenship_private_requested")


def book(
    *, person: User, invitation: CitizenshipInvitation, ceremony: CitizenshipCeremony, guests: int, welsh_oath: bool
) -> CitizenshipSeat:
    """A seat at the group ceremony (or the seat moved there, when one is booked)."""
    check_may_book(person=person, invitation=invitation)
    seat = selectors.live_seat(invitation)
    if seat is not None:
        moved = booking_services.move_seat(
            seat=seat, to=ceremony, guests=guests, attend_by=invitation.attend_by, actor=person
        )
        if moved.welsh_oath != welsh_oath and (not welsh_oath or ceremony.welsh_available):
            CitizenshipSeat.objects.filter(pk=moved.pk).update(welsh_oath=welsh_oath)
            moved.welsh_oath = welsh_oath
        return moved
    return booking_services.book_seat(
        ceremony=ceremony,
        person=person,
        invitation_reference=invitation.reference,
        guests=guests,
        welsh_oath=welsh_oath,
        attend_by=invitation.attend_by,
        actor=person,
    )


def cancel(*, person: User, invitation: CitizenshipInvitation) -> CitizenshipSeat:
    if invitation.person_id != person.pk:
        raise CitizenshipRefused("citizenship_not_found")
    if invitation.status != Status.MATCHED:
        raise CitizenshipRefused("citizenship_not_open")
    seat = selectors.live_seat(invitation)
    if seat is None:
        raise CitizenshipRefused("citizenship_no_seat")
    return booking_services.cancel_seat(seat=seat, actor=person)


def request_private(
    *, person: User, invitation: CitizenshipInvitation, pledge: str, welsh: bool
) -> CitizenshipInvitation:
    """A private ceremony instead of a group one: recorded, with the fee (CITIZENSHIP_PRIVATE_FEE_PENCE),
    for the office to arrange a date and take the fee (the request is on its staff page)."""
    _own_open(person, invitation)
    if invitation.private:
        raise CitizenshipRefused("citizenship_private_requested")
    if selectors.live_seat(invitation) is not None:
        raise CitizenshipRefused("citizenship_private_has_seat")
    if welsh and not (invitation.office and invitation.office.in_wales):
        raise CitizenshipRefused("citizenship_private_no_welsh")
    with transaction.atomic():
        changed = CitizenshipInvitation.objects.filter(
            pk=invitation.pk, status=Status.MATCHED, private=CitizenshipInvitation.Private.NONE
        ).update(
            private=CitizenshipInvitation.Private.REQUESTED,
            private_pledge=pledge,
            private_welsh=welsh,
            private_fee_pence=settings.CITIZENSHIP_PRIVATE_FEE_PENCE,
            private_requested_at=timezone.now(),
        )
        if not changed:
            raise CitizenshipRefused("citizenship_private_requested")
        invitation.refresh_from_db()
    return invitation


# --- On the day -----------------------------------------------------------------------------------------


def _entry_particulars(invitation, ceremony: Booking, *, pledge_form, language, certificate_number, actor) -> dict:
    venue = ceremony.room.venue
    return {
        "forenames": invitation.forenames,
        "surname": invitation.surname,
        "date_of_birth": invitation.date_of_birth.isoformat(),
        "route": invitation.route,
        "home_office_reference": invitation.home_office_reference,
        "ceremony_date": timezone.localdate(ceremony.starts_at).isoformat(),
        "ceremony_place": f"{venue.name}, {venue.address}, {venue.postcode}",
        "pledge_form": pledge_form,
        "language": language,
        "pledge": True,
        "certificate_number": certificate_number,
        "registrar": actor.full_name or actor.email,
    }


def record_attendance(
    *,
    actor: User,
    ceremony: Booking,
    seat_reference: str,
    attended: bool,
    pledge_form: str = "",
    language: str = "",
    made_pledge: bool = False,
    certificate_number: str = "",
) -> CeremonyAttendance:
    """One attendee's record on the day, once: with the oath or affirmation and the pledge taken
    and the certificate handed over, an entry in the citizenship register; else did not attend."""
    _require_staff(actor)
    _require_office(actor, ceremony.room.venue.office)
    if ceremony.kind != Booking.Kind.CITIZENSHIP_GROUP:
        raise CitizenshipRefused("citizenship_no_ceremony")
    if ceremony.starts_at > timezone.now():
        raise CitizenshipRefused("citizenship_before_ceremony")
    seat = CitizenshipSeat.objects.filter(
        reference=seat_reference, ceremony__booking=ceremony, status=CitizenshipSeat.Status.BOOKED
    ).first()
    if seat is None:
        raise CitizenshipRefused("citizenship_not_booked_here")
    with transaction.atomic():
        invitation = (
            CitizenshipInvitation.objects.select_for_update().filter(reference=seat.invitation_reference).first()
        )
        if invitation is None:
            raise CitizenshipRefused("citizenship_not_booked_here")
        if CeremonyAttendance.objects.filter(invitation=invitation).exists():
            raise CitizenshipRefused("citizenship_already_recorded")
        entry: RegisterEntry | None = None
        if attended:
            if not invitation.move("attend"):
                raise CitizenshipRefused("citizenship_already_recorded")
            entry = write_entry(
                district=ceremony.room.venue.office,
                event=Event.CITIZENSHIP,
                event_date=timezone.localdate(ceremony.starts_at),
                surname=invitation.surname,
                forenames=invitation.forenames,
                particulars=_entry_particulars(
                    invitation,
                    ceremony,
                    pledge_form=pledge_form,
                    language=language,
                    certificate_number=certificate_number,
                    actor=actor,
                ),
                index_lines=[],
                registered_by=actor,
            )
        elif not invitation.move("not_attend"):
            raise CitizenshipRefused("citizenship_already_recorded")
        attendance = CeremonyAttendance.objects.create(
            invitation=invitation,
            ceremony=ceremony,
            seat_reference=seat.reference,
            outcome=CeremonyAttendance.Outcome.ATTENDED if attended else CeremonyAttendance.Outcome.NOT_ATTENDED,
            pledge_form=pledge_form if attended else "",
            language=language if attended else "",
            made_pledge=bool(attended and made_pledge),
            certificate_number=certificate_number if attended else "",
            entry=entry,
            recorded_by=actor,
        )
        record_audit(
            actor=actor,
            action="citizenship.attendance_recorded",
            subject=invitation.person,
            object_type="citizenship_invitation",
            object_id=invitation.reference,
            detail={
                "ceremony": ceremony.reference,
                "seat": seat.reference,
                "outcome": attendance.outcome,
                "entry": entry.entry_reference if entry else "",
            },
        )
        if entry is not None:
            events.publish(kind=EventKind.REGISTERED, entry=entry)
        enqueue_on_commit("registrar.tasks.citizenship.report_attendance", attendance.pk)
    return attendance


def record_lapsed(*, today: date | None = None) -> int:
    """Invitations whose last day has passed with no seat and no private ceremony asked for: did
    not attend, told to the Home Office. Those with a seat wait for the registrar's record."""
    today = today or timezone.localdate()
    booked = CitizenshipSeat.objects.filter(status=CitizenshipSeat.Status.BOOKED).values("invitation_reference")
    lapsed = (
        CitizenshipInvitation.objects.filter(status__in=CitizenshipInvitation.OPEN, attend_by__lt=today)
        .filter(private=CitizenshipInvitation.Private.NONE)
        .exclude(reference__in=booked)
        .exclude(attendance__isnull=False)
    )
    count = 0
    for invitation in lapsed[:500]:
        with transaction.atomic():
            if not invitation.move("not_attend"):
                continue
            attendance = CeremonyAttendance.objects.create(
                invitation=invitation, outcome=CeremonyAttendance.Outcome.NOT_ATTENDED
            )
            enqueue_on_commit("registrar.tasks.citizenship.report_attendance", attendance.pk)
        count += 1
    return count


# --- Telling the Home Office -----------------------------------------------------------------------------


class ReportFailed(Exception):
    def __init__(self, reason: str, *, retry_in: int) -> None:
        super().__init__(reason)
        self.retry_in = retry_in


def _claim(attendance_id: int) -> CeremonyAttendance | None:
    with transaction.atomic():
        # Only the attendance row is locked (its ceremony is null when attend_by passed).
        attendance = (
            CeremonyAttendance.objects.select_for_update(of=("self",))
            .select_related("invitation", "ceremony__room__venue__office")
            .filter(pk=attendance_id)
            .first()
        )
        if attendance is None or attendance.status != CeremonyAttendance.Status.TO_REPORT:
            return None
        if attendance.report_attempts >= settings.CITIZENSHIP_REPORT_MAX_ATTEMPTS:
            attendance.move("failed", report_next_attempt_at=None)
            return None
        attendance.report_attempts += 1
        attendance.save(update_fields=["report_attempts"])
    return attendance


def report(*, attendance_id: int) -> CeremonyAttendance | None:
    """One attempt at telling the Home Office. Idempotent: a report told already is left alone.
    Raises ReportFailed when it should be tried again."""
    from . import home_office

    attendance = _claim(attendance_id)
    if attendance is None:
        return None
    invitation = attendance.invitation
    ceremony = attendance.ceremony
    receipt = home_office.configured().report_attendance(
        home_office.AttendanceReport(
            home_office_reference=invitation.home_office_reference,
            outcome=attendance.outcome,
            surname=invitation.surname,
            ceremony_date=timezone.localdate(ceremony.starts_at) if ceremony else None,
            district=ceremony.room.venue.office.code if ceremony else "",
            pledge_form=attendance.pledge_form,
            language=attendance.language,
            certificate_number=attendance.certificate_number,
        )
    )
    now = timezone.now()
    if not receipt.delivered:
        reason = (receipt.reason or "not_delivered")[:60]
        if attendance.report_attempts >= settings.CITIZENSHIP_REPORT_MAX_ATTEMPTS:
            attendance.move("failed", report_error=reason, report_next_attempt_at=None)
            return attendance
        retry_in = settings.CITIZENSHIP_REPORT_BACKOFF_SECONDS * 2 ** max(attendance.report_attempts - 1, 0)
        CeremonyAttendance.objects.filter(pk=attendance.pk).update(
            report_error=reason, report_next_attempt_at=now + timedelta(seconds=retry_in)
        )
        raise ReportFailed(reason, retry_in=retry_in)
    attendance.move(
        "reported",
        reported_at=now,
        home_office_receipt=receipt.reference[:60],
        report_error="",
        report_next_attempt_at=None,
    )
    return attendance


def due_report_ids(*, limit: int = 500) -> list[int]:
    """Reports waiting whose task was lost, or whose next try is due."""
    now = timezone.now()
    return list(
        CeremonyAttendance.objects.filter(status=CeremonyAttendance.Status.TO_REPORT)
        .filter(report_next_attempt_at__lte=now)
        .order_by("report_next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    ) + list(
        CeremonyAttendance.objects.filter(
            status=CeremonyAttendance.Status.TO_REPORT,
            report_next_attempt_at__isnull=True,
            report_attempts=0,
            recorded_at__lte=now - timedelta(seconds=settings.SIDE_EFFECT_SWEEP_SECONDS),
        ).values_list("pk", flat=True)[:limit]
    )
