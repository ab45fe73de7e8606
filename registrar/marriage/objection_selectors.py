"""Reads for objection casework and suspicion reports: which objections and proposals a staff
member may see (those whose notice was given at one of their offices or whose ceremony is in one
of their districts; every one for national roles), the open objections, and one objection with
its notice and proposal."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from identity.models import User
from identity.roles import is_national

from ..models import Objection, Proposal, SuspicionReport


def objections_for(user: User) -> QuerySet[Objection]:
    objections = Objection.objects.select_related(
        "notice__office", "notice__proposal__district", "notice__proposal__venue", "decided_by"
    )
    if is_national(user):
        return objections
    offices = user.offices.all()
    return objections.filter(Q(notice__office__in=offices) | Q(notice__proposal__district__in=offices)).distinct()


def open_objections(*, user: User, office_code: str = "") -> QuerySet[Objection]:
    """Open objections in the staff member's offices, oldest first."""
    objections = objections_for(user).filter(status=Objection.Status.OPEN)
    if office_code:
        objections = objections.filter(
            Q(notice__office__code=office_code) | Q(notice__proposal__district__code=office_code)
        )
    return objections.order_by("raised_at", "reference")


def objection_case(*, user: User, reference: str) -> Objection | None:
    """None for an unknown objection or another office's: the page answers 404 either way."""
    reference = (reference or "").strip().upper()
    if not reference or "\x00" in reference:
        return None
    return objections_for(user).filter(reference=reference).first()


def proposals_for(user: User) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related("district", "venue", "ceremony")
    if is_national(user):
        return proposals
    offices = user.offices.all()
    return proposals.filter(Q(district__in=offices) | Q(notices__office__in=offices)).distinct()


def proposal_case(*, user: User, reference: str) -> Proposal | None:
    reference = (reference or "").strip().upper()
    if not reference or "\x00" in reference:
        return None
    return proposals_for(user).filter(reference=reference).first()


def objections_of(proposal: Proposal) -> QuerySet[Objection]:
    return Objection.objects.filter(notice__proposal=proposal).select_related("notice").order_by("raised_at")


def suspicion_reports_of(proposal: Proposal) -> QuerySet[SuspicionReport]:
    return proposal.suspicion_reports.select_related("reported_by").order_by("-reported_at")
