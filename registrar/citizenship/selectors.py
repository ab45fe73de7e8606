"""Reads of the citizenship ceremonies, registrar side: the group ceremonies an invitation may be
booked at, the person's own invitations and live seat, the registrar's ceremonies and the
invitations waiting for a registrar's check, and how names are compared when an invitation is
matched to the person who proved their identity."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from booking.models import Booking, CitizenshipCeremony, CitizenshipSeat
from booking.refusals import BookingRefused
from booking.selectors.citizenship import ceremonies_open_to
from identity.models import IdentityCase, User

from ..models import CitizenshipInvitation


# --- Open ceremonies --------------------------------------------------------------------------------
def open_ceremonies(invitation: CitizenshipInvitation, *, guests: int = 0) -> list[CitizenshipCeremony]:
    """Group ceremonies on the calendar from now to the invitation's last day, with a seat and
    `guests` guest places left: booking's own list (`booking.selectors.citizenship`), nearest to
    the new citizen's postcode first, or by date when the postcode is not placed."""
    try:
        return ceremonies_open_to(before=invitation.attend_by, near=invitation.postcode or None, guests=guests)
    except BookingRefused:  # a postcode no place is known for
        return ceremonies_open_to(before=invitation.attend_by, guests=guests)


def open_ceremony(invitation: CitizenshipInvitation, reference: str) -> CitizenshipCeremony | None:
    return next((each for each in open_ceremonies(invitation) if each.booking.reference == reference), None)


def ceremony_by_reference(reference: str) -> CitizenshipCeremony | None:
    return (
        CitizenshipCeremony.objects.select_related("booking__room__venue__office")
        .filter(booking__reference=reference, booking__kind=Booking.Kind.CITIZENSHIP_GROUP)
        .first()
    )


# --- The person's -----------------------------------------------------------------------------------
def own_invitations(person: User) -> QuerySet[CitizenshipInvitation]:
    return CitizenshipInvitation.objects.filter(person=person).order_by("-created_at")


def own_invitation(person: User, reference: str) -> CitizenshipInvitation | None:
    return CitizenshipInvitation.objects.filter(person=person, reference=reference).first()


def live_seat(invitation: CitizenshipInvitation) -> CitizenshipSeat | None:
    return (
        CitizenshipSeat.objects.select_related("ceremony__booking__room__venue")
        .filter(invitation_reference=invitation.reference, status=CitizenshipSeat.Status.BOOKED)
        .first()
    )


def may_still_book(invitation: CitizenshipInvitation, *, today: date | None = None) -> bool:
    return invitation.attend_by >= (today or timezone.localdate())


# --- Matching ---------------------------------------------------------------------------------------
def _plain(text: str) -> str:
    """Names compared without case, accents, hyphens or apostrophes, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = letters.replace("-", " ").replace("'", "").replace("\u2019", "")
    return " ".join(letters.casefold().split())


def verified_identity(person: User) -> IdentityCase | None:
    return (
        IdentityCase.objects.filter(person=person, status=IdentityCase.Status.VERIFIED).order_by("-decided_at").first()
    )


def mismatches(invitation: CitizenshipInvitation, case: IdentityCase | None) -> list[str]:
    """Which particulars of the verified identity differ from the invitation's: "forenames",
    "surname", "date_of_birth" (an empty list is a match). A particular the check did not record
    is a difference: a registrar decides."""
    if case is None:
        return ["forenames", "surname", "date_of_birth"]
    found = []
    if not case.given_names or _plain(case.given_names) != _plain(invitation.forenames):
        found.append("forenames")
    if not case.surname or _plain(case.surname) != _plain(invitation.surname):
        found.append("surname")
    if case.birth_date is None or case.birth_date != invitation.date_of_birth:
        found.append("date_of_birth")
    return found


# --- Registrars -------------------------------------------------------------------------------------
def _office_filter(user: User, field: str) -> Q:
    if user.is_superuser:
        return Q()
    return Q(**{f"{field}__in": user.offices.all()})


def staff_ceremonies(user: User, *, since: date) -> QuerySet[Booking]:
    """The group ceremonies of the user's offices from `since`, soonest first."""
    return (
        Booking.objects.select_related("room__venue__office", "citizenship")
        .filter(kind=Booking.Kind.CITIZENSHIP_GROUP, status__in=Booking.BOOKED, starts_at__date__gte=since)
        .filter(_office_filter(user, "room__venue__office"))
        .order_by("starts_at")
    )


def staff_ceremony(user: User, reference: str) -> Booking | None:
    return (
        Booking.objects.select_related("room__venue__office", "citizenship")
        .filter(kind=Booking.Kind.CITIZENSHIP_GROUP, reference=reference)
        .filter(_office_filter(user, "room__venue__office"))
        .first()
    )


def attendees(ceremony: Booking) -> list[dict]:
    """Each seat booked at the ceremony with its invitation and what has been recorded."""
    seats = list(
        CitizenshipSeat.objects.filter(ceremony__booking=ceremony, status=CitizenshipSeat.Status.BOOKED).order_by(
            "booked_at"
        )
    )
    invitations = {
        invitation.reference: invitation
        for invitation in CitizenshipInvitation.objects.filter(
            reference__in=[seat.invitation_reference for seat in seats]
        ).select_related("attendance")
    }
    rows = []
    for seat in seats:
        invitation = invitations.get(seat.invitation_reference)
        if invitation is None:
            continue
        attendance = getattr(invitation, "attendance", None)
        rows.append({"seat": seat, "invitation": invitation, "attendance": attendance})
    return sorted(rows, key=lambda row: (row["invitation"].surname.casefold(), row["invitation"].forenames))


def invitations_to_check(user: User) -> QuerySet[CitizenshipInvitation]:
    """Invitations whose person did not match, for the registrars of the person's district (and
    those with no district, for every registrar)."""
    scope = Q() if user.is_superuser else Q(office__in=user.offices.all()) | Q(office__isnull=True)
    return CitizenshipInvitation.objects.filter(scope, status=CitizenshipInvitation.Status.TO_CHECK).order_by(
        "created_at"
    )


def staff_invitation(user: User, reference: str) -> CitizenshipInvitation | None:
    scope = Q() if user.is_superuser else Q(office__in=user.offices.all()) | Q(office__isnull=True)
    return CitizenshipInvitation.objects.filter(scope, reference=reference).select_related("claimed_by").first()


def private_requests(user: User) -> QuerySet[CitizenshipInvitation]:
    """Private ceremonies asked for, for the office to arrange."""
    scope = Q() if user.is_superuser else Q(office__in=user.offices.all()) | Q(office__isnull=True)
    return CitizenshipInvitation.objects.filter(
        scope, status=CitizenshipInvitation.Status.MATCHED, private=CitizenshipInvitation.Private.REQUESTED
    ).order_by("private_requested_at")
