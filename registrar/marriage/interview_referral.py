"""The Home Office referral of a proposal whose notices are given and where either person is not
exempt: sent through the configured adapter by a Celery task after commit, each attempt counted
on the proposal (so a retry and the sweeper share one count), retried with backoff, FAILED after
HOME_OFFICE_REFERRAL_MAX_ATTEMPTS (staff see it and may send it again). The decision, at once
from the sandbox or later from the Home Office (its API call, or the polling task), sets the
waiting period to 28 or 70 days; when a ceremony is booked too early for 70 days the couple are told."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from identity.audit import record_audit
from identity.models import User
from identity.notifications import send_message, written_for

from ..models import Notice, Proposal
from . import answers, home_office, selectors
from .refusals import MarriageRefused

logger = logging.getLogger(__name__)

DECISIONS = frozenset({Proposal.HomeOffice.NOT_INVESTIGATING, Proposal.HomeOffice.INVESTIGATING})
SENDABLE = frozenset({Proposal.HomeOffice.NOT_YET})


class ReferralFailed(Exception):
    """The Home Office did not take the referral; the task tries again after `retry_in` seconds."""

    def __init__(self, reason: str, *, retry_in: int) -> None:
        super().__init__(reason)
        self.retry_in = retry_in


def backoff_seconds(attempts: int) -> int:
    return settings.HOME_OFFICE_REFERRAL_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)


def _person(notice: Notice) -> home_office.PersonParticulars:
    given = notice.answers or {}
    nationality = given.get("nationality", {})
    return home_office.PersonParticulars(
        forenames=answers.forenames(given),
        surname=answers.surname(given),
        date_of_birth=answers.date_of_birth(given),
        nationality=nationality.get("other_nationality") or answers.nationality(given),
        immigration_status=answers.immigration_status(given),
        immigration_reference=nationality.get("immigration_reference", ""),
    )


def referral_for(proposal: Proposal) -> home_office.Referral:
    notices = list(proposal.notices.order_by("position"))
    return home_office.Referral(
        proposal_reference=proposal.reference,
        kind=proposal.kind,
        district=proposal.district.code,
        people=tuple(_person(notice) for notice in notices),
        given_on=max(notice.given_on for notice in notices),
    )


def _claim_attempt(proposal_id: int) -> Proposal | None:
    """Count one attempt, committed before the call, so an attempt whose worker dies mid-call
    counts too. None when there is nothing to send (sent already, decided, or no such proposal)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().filter(pk=proposal_id).first()
        if proposal is None or proposal.home_office not in SENDABLE or proposal.status != Proposal.Status.WAITING:
            return None
        if proposal.referral_attempts >= settings.HOME_OFFICE_REFERRAL_MAX_ATTEMPTS:
            _fail(proposal, proposal.referral_error or "attempt_not_finished")
            return None
        proposal.referral_attempts += 1
        proposal.save(update_fields=["referral_attempts"])
    return proposal


def _fail(proposal: Proposal, reason: str) -> None:
    Proposal.objects.filter(pk=proposal.pk, home_office__in=SENDABLE).update(
        home_office=Proposal.HomeOffice.FAILED, referral_error=reason[:60], referral_next_attempt_at=None
    )
    logger.warning(
        "Home Office referral of %s failed after %s attempts", proposal.reference, proposal.referral_attempts
    )


def send(*, proposal_id: int) -> Proposal | None:
    """One attempt at sending the referral. Idempotent: a referral sent already, or decided, is
    left alone. Raises ReferralFailed when it should be tried again."""
    proposal = _claim_attempt(proposal_id)
    if proposal is None:
        return None
    answer = home_office.configured().refer(referral_for(proposal))
    now = timezone.now()
    if not answer.delivered:
        reason = answer.reason or "not_delivered"
        if proposal.referral_attempts >= settings.HOME_OFFICE_REFERRAL_MAX_ATTEMPTS:
            _fail(proposal, reason)
            proposal.refresh_from_db()
            return proposal
        retry_in = backoff_seconds(proposal.referral_attempts)
        Proposal.objects.filter(pk=proposal.pk).update(
            referral_error=reason[:60], referral_next_attempt_at=now + timedelta(seconds=retry_in)
        )
        raise ReferralFailed(reason, retry_in=retry_in)
    with transaction.atomic():
        sent = Proposal.objects.filter(pk=proposal.pk, home_office__in=SENDABLE).update(
            home_office=Proposal.HomeOffice.PENDING,
            home_office_reference=answer.reference[:60],
            referred_at=now,
            referral_error="",
            referral_next_attempt_at=None,
        )
        proposal.refresh_from_db()
        if sent and answer.decision in DECISIONS:
            apply_decision(proposal=proposal, decision=answer.decision, actor=None)
            proposal.refresh_from_db()
    return proposal


def due_referral_ids(*, limit: int = 500) -> list[int]:
    """Referrals due to be sent whose message was lost (or whose wait ran past the broker's)."""
    return list(
        Proposal.objects.filter(
            home_office__in=SENDABLE,
            status=Proposal.Status.WAITING,
            referral_next_attempt_at__lte=timezone.now(),
        )
        .order_by("referral_next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def send_again(*, actor: User, proposal: Proposal) -> Proposal:
    """A registrar sends a referral that could not be sent again, with a fresh count of attempts."""
    from . import interview_services

    if not (actor.is_active and actor.is_staff and actor.has_perm("registrar.work_notices")):
        raise MarriageRefused("not_permitted")
    if not interview_services._works_in(actor, proposal.district_id) and not any(
        interview_services._works_in(actor, notice.office_id) for notice in proposal.notices.all()
    ):
        raise MarriageRefused("wrong_office")
    with transaction.atomic():
        changed = Proposal.objects.filter(pk=proposal.pk, home_office=Proposal.HomeOffice.FAILED).update(
            home_office=Proposal.HomeOffice.NOT_YET,
            referral_attempts=0,
            referral_error="",
            referral_next_attempt_at=timezone.now(),
        )
        if not changed:
            raise MarriageRefused("referral_not_failed")
        record_audit(
            actor=actor, action="marriage.referral_sent_again", object_type="proposal", object_id=proposal.reference
        )
        from core.queue import enqueue_on_commit

        enqueue_on_commit("registrar.tasks.interview_referrals.send_referral", proposal.pk)
    proposal.refresh_from_db()
    return proposal


def apply_decision(*, proposal: Proposal, decision: str, actor: User | None, reference: str = "") -> Proposal:
    """The Home Office decided: 28 days (not investigating) or 70 (investigating). Only a referral
    waiting for its decision takes one (a second telling is refused). When the Home Office
    investigates and the ceremony is booked before the 70 days end, the couple are told."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    now = timezone.now()
    with transaction.atomic():
        filters = {"pk": proposal.pk, "home_office": Proposal.HomeOffice.PENDING}
        if reference:
            filters["home_office_reference"] = reference
        changed = Proposal.objects.filter(**filters).update(
            home_office=decision, home_office_decided_at=now, updated_at=now
        )
        if not changed:
            raise MarriageRefused("referral_not_pending")
        proposal.refresh_from_db()
        record_audit(
            actor=actor,
            action="marriage.home_office_decided",
            object_type="proposal",
            object_id=proposal.reference,
            detail={"decision": decision},
        )
        move_to = selectors.must_move_to(proposal)
        if move_to is not None:
            tell_ceremony_must_move(proposal, move_to)
    return proposal


@written_for
def ceremony_must_move_message(recipient: User, proposal: Proposal, move_to) -> tuple[str, str]:
    return _("Your ceremony date must change"), _(
        "The Home Office is investigating your notices (%(reference)s), so the waiting period "
        "is 70 days. Your ceremony cannot take place before %(day)s: sign in and move it to "
        "that day or later."
    ) % {"reference": proposal.reference, "day": formats.date_format(move_to, "j F Y")}


def tell_ceremony_must_move(proposal: Proposal, move_to) -> None:
    """Both people are told that the ceremony must move to on or after `move_to` (once each)."""
    for notice in proposal.notices.select_related("person"):
        if notice.person_id and notice.person.email:
            subject, body = ceremony_must_move_message(notice.person, proposal, move_to)
            send_message(
                key=f"marriage:{proposal.reference}:must-move:{notice.position}",
                channel="email",
                to=notice.person.email,
                subject=subject,
                body=body,
            )


def poll_decisions(*, limit: int = 200) -> int:
    """Ask the Home Office about referrals still waiting for its decision; apply those decided."""
    adapter = home_office.configured()
    decided = 0
    for proposal in Proposal.objects.filter(home_office=Proposal.HomeOffice.PENDING).exclude(home_office_reference="")[
        :limit
    ]:
        answer = adapter.decision(reference=proposal.home_office_reference)
        if answer.delivered and answer.decision in DECISIONS:
            try:
                apply_decision(proposal=proposal, decision=answer.decision, actor=None)
            except MarriageRefused:
                continue
            decided += 1
    return decided
