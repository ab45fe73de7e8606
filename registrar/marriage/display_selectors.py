"""What the public notices page shows: the registration districts, and the notices on display in
one of them. A given notice is displayed from the day it is given to `Notice.display_until`
(`rules.display_until`: 28 days) while its proposal is open, under the district where it was given
and the district of the ceremony. Only the name, the condition, the intended venue and the
district leave this module: the rest of a notice is nobody else's business."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from identity.models import RegisterOffice

from ..models import Notice, Proposal
from . import answers


def districts() -> QuerySet[RegisterOffice]:
    return RegisterOffice.objects.order_by("name")


def district_by_code(code: str) -> RegisterOffice | None:
    code = (code or "").strip()
    if not code or "\x00" in code or len(code) > 40:
        return None
    return RegisterOffice.objects.filter(code=code).first()


def on_display(*, today: date) -> QuerySet[Notice]:
    """Every notice on display today, anywhere."""
    return Notice.objects.filter(
        status=Notice.Status.GIVEN,
        display_until__gte=today,
        given_on__lte=today,
        proposal__status__in=Proposal.OPEN,
    )


def displayed_in(*, district: RegisterOffice, today: date) -> QuerySet[Notice]:
    """The notices on display in one district, oldest first, with what the page shows loaded."""
    return (
        on_display(today=today)
        .filter(Q(office=district) | Q(proposal__district=district))
        .select_related("office", "proposal__venue", "proposal__district")
        .order_by("given_on", "reference")
    )


def displayed_notice(*, reference: str, today: date) -> Notice | None:
    """A notice on display today by its reference; None for one that is not (never given, no
    longer displayed, or its marriage no longer going ahead) as for an unknown reference."""
    reference = (reference or "").strip().upper()
    if not reference or "\x00" in reference:
        return None
    return (
        on_display(today=today)
        .select_related("office", "proposal__venue", "proposal__district")
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class PublicNotice:
    """A notice as the public sees it, and nothing more: its reference (to object to it), the
    name, the condition in words, the intended venue and the district."""

    reference: str
    name: str
    condition: str  # in words, in the active language
    venue: str
    district: str


def venue_of(proposal: Proposal) -> str:
    if proposal.venue is not None:
        return proposal.venue.name
    return proposal.religious_building


def public(notice: Notice) -> PublicNotice:
    code = answers.condition(notice.answers)
    condition = Notice.Condition(code).label if code in Notice.Condition.values else ""
    return PublicNotice(
        reference=notice.reference,
        name=answers.full_name(notice.answers),
        condition=str(condition),
        venue=venue_of(notice.proposal),
        district=notice.office.name if notice.office else notice.proposal.district.name,
    )
