"""Re-booking the bookings a closure or an absence affects: each to the alternative a registrar
chose, or all at once to the best alternative still free. The outcome of each booking is decided
here, so the page, a test or a command reads the same answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from identity.models import RegisterOffice, User

from ..models import Booking
from ..refusals import BookingRefused, SlotUnavailable
from ..selectors import Proposal, RebookingSubject, Slot, rebooking_proposals
from .access import check_office
from .moves import reassign_officers, reschedule_booking

KEEP = "keep"


@dataclass(frozen=True)
class RebookingOutcome:
    booking: Booking
    moved: bool
    refusal: BookingRefused | None = None

    @property
    def message(self) -> str:
        return self.refusal.message if self.refusal is not None else ""


def apply_rebooking(*, booking: Booking, slot: Slot, actor: User) -> Booking:
    """Move one affected booking to the chosen alternative and tell the couple."""
    if slot.is_same_time_and_place(booking):
        officers = User.objects.in_bulk([pk for pk in (slot.superintendent_id, slot.registrar_id) if pk])
        return reassign_officers(
            booking=booking,
            superintendent=officers.get(slot.superintendent_id),
            registrar=officers.get(slot.registrar_id),
            actor=actor,
        )
    return reschedule_booking(booking=booking, room=slot.room, starts_at=slot.starts_at, actor=actor)


def rebook_affected(
    *,
    office: RegisterOffice,
    subject: RebookingSubject,
    actor: User,
    choices: Mapping[str, str] | None = None,
    move_all: bool = False,
) -> list[RebookingOutcome]:
    """Move the bookings `subject` affects. With `move_all`, each goes to the first of its
    alternatives that can still be had; otherwise `choices` maps a booking's reference to the
    `Slot.choice` a registrar picked (or "keep"), and only those are moved. One outcome per
    booking tried; refuses when nothing at all was chosen."""
    check_office(actor, office.pk)
    proposals = rebooking_proposals(bookings=list(subject.affected), reason=subject.reason)
    outcomes = []
    for proposal in proposals:
        if move_all:
            candidates = proposal.alternatives
        else:
            chosen = (choices or {}).get(proposal.booking.reference, "")
            if not chosen or chosen == KEEP:
                continue
            candidates = [slot for slot in proposal.alternatives if slot.choice == chosen]
            if not candidates:
                outcomes.append(RebookingOutcome(proposal.booking, False, BookingRefused("choice_no_longer_free")))
                continue
        outcomes.append(_first_that_moves(proposal, candidates, actor=actor))
    if not outcomes:
        raise BookingRefused("nothing_chosen")
    return outcomes


def _first_that_moves(proposal: Proposal, candidates: list[Slot], *, actor: User) -> RebookingOutcome:
    group = proposal.booking.kind == Booking.Kind.CITIZENSHIP_GROUP
    refusal = BookingRefused("citizenship_group_not_moved" if group else "no_alternative_free")
    for slot in candidates:
        try:
            moved = apply_rebooking(booking=proposal.booking, slot=slot, actor=actor)
        except SlotUnavailable:
            refusal = BookingRefused("choice_no_longer_free")
        except BookingRefused as refused:
            refusal = refused
        else:
            return RebookingOutcome(moved, True)
    return RebookingOutcome(proposal.booking, False, refusal)
