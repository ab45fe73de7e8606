"""Reads for giving notice online: a person's proposals and their own notice (nobody sees the
other person's notice to change it), the ceremony date the age rule is checked on, which
questions are still to answer, whether evidence that an earlier marriage ended is still needed,
and the stage of each notice in words."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking import rules as booking_rules
from booking.models import Booking
from identity.models import User
from identity.selectors import has_medium_confidence

from ..models import Notice, Proposal
from . import answers as answers_module
from .refusals import MarriageRefused

# How a former marriage or partnership ended that a court order proves.
COURT_ENDINGS = frozenset({"divorce", "dissolution", "annulment"})


def proposals_of(person: User) -> QuerySet[Proposal]:
    """The proposals the person gives one of the notices of."""
    return (
        Proposal.objects.filter(notices__person=person)
        .select_related("venue", "district", "ceremony")
        .prefetch_related("notices")
        .distinct()
    )


def proposal_for(*, person: User, reference: str) -> Proposal:
    """A proposal the person is one of the two people of; anyone else's is not found."""
    proposal = proposals_of(person).filter(reference=reference).first()
    if proposal is None:
        raise MarriageRefused("not_found")
    return proposal


def own_notice(*, person: User, reference: str) -> Notice:
    """The person's own notice; the other person's, or anyone else's, is not found."""
    notice = (
        Notice.objects.select_related("proposal", "proposal__venue", "proposal__ceremony", "proposal__district")
        .filter(reference=reference, person=person)
        .first()
    )
    if notice is None:
        raise MarriageRefused("not_found")
    return notice


def provisional_ceremonies_of(person: User) -> QuerySet[Booking]:
    """The person's provisionally booked ceremonies that no notice is being given for yet."""
    return (
        Booking.objects.filter(
            person=person, kind=Booking.Kind.CEREMONY, status=Booking.Status.PROVISIONAL, proposal__isnull=True
        )
        .select_related("room__venue")
        .order_by("starts_at")
    )


def identity_verified(person: User) -> bool:
    return has_medium_confidence(person)


def ceremony_date(proposal: Proposal) -> date | None:
    """The day of the ceremony: the booking's date, or the intended date of a religious marriage."""
    if proposal.ceremony_id:
        return timezone.localtime(proposal.ceremony.starts_at).date()
    return proposal.intended_date


def venue_words(proposal: Proposal) -> str:
    """The venue as the notice names it."""
    if proposal.form == Proposal.Form.RELIGIOUS:
        return proposal.religious_building
    venue = proposal.venue
    return f"{venue.name}, {venue.address}, {venue.postcode}" if venue else ""


def missing_steps(notice: Notice) -> list[str]:
    answers = notice.answers or {}
    return [step for step in answers_module.STEPS if not answers.get(step)]


def next_step(notice: Notice) -> str | None:
    missing = missing_steps(notice)
    return missing[0] if missing else None


def evidence_needed(notice: Notice) -> bool:
    """An earlier marriage or partnership needs evidence it ended: the final order or decree,
    or for a death the entry in the central register (found automatically when it was in England
    or Wales) or the death certificate."""
    answers = notice.answers or {}
    if answers_module.condition(answers) in ("", Notice.Condition.NEVER):
        return False
    if notice.former_partner_death_id:
        return False
    return not notice.ending_evidence


def evidence_kind(notice: Notice) -> str:
    """What to upload: "final_order" for a divorce, dissolution or annulment, else "death_certificate"."""
    return "final_order" if answers_module.how_ended(notice.answers or {}) in COURT_ENDINGS else "death_certificate"


def earliest_sending_date(notice: Notice) -> date | None:
    since = answers_module.lived_there_since(notice.answers or {})
    return booking_rules.earliest_notice_date(since) if since else None


NOTICE_STAGES = {
    Notice.Status.DRAFT: _("Answering the questions"),
    Notice.Status.SENT: _("Sent: waiting for the interview"),
    Notice.Status.GIVEN: _("Notice given"),
    Notice.Status.REFUSED: _("Notice not accepted"),
    Notice.Status.WITHDRAWN: _("Withdrawn"),
}


def notice_stage(notice: Notice) -> str:
    if notice.person_id is None:
        return str(_("Invited, not joined yet")) if notice.invited_email else str(_("Not invited yet"))
    return str(NOTICE_STAGES[notice.status])


def other_notice(notice: Notice) -> Notice | None:
    return notice.proposal.notices.exclude(pk=notice.pk).first()
