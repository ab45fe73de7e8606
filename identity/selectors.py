"""Reads for accounts: a staff member's profile and the development outbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import OutboundMessage, User
from .roles import roles_of


def staff_profile(*, user: User) -> dict[str, Any]:
    return {"roles": roles_of(user), "offices": list(user.offices.order_by("name"))}


def outbox_messages(*, limit: int = 50) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.order_by("-created_at", "-id")[:limit]


def current_identity_case(*, person: User):
    """The open case, else the most recent decided one, else None."""
    from .models import IdentityCase

    cases = IdentityCase.objects.filter(person=person)
    return cases.filter(status__in=IdentityCase.OPEN_STATUSES).first() or cases.order_by("-created_at").first()


def journey_steps(case) -> list[dict[str, Any]]:
    """The task list of the identity check, with what is done."""
    from .models import DocumentType, EvidenceImage

    images = set(case.images.filter(deleted_at__isnull=True).values_list("kind", flat=True)) if case else set()
    other = case is not None and case.document_type == DocumentType.OTHER
    steps = [
        {"name": "document-type", "done": bool(case and case.document_type)},
        {"name": "document", "done": bool(case and case.document_number), "skip": other},
        {"name": "document-photo", "done": EvidenceImage.Kind.IDENTITY_DOCUMENT in images, "skip": other},
        {"name": "address", "done": bool(case and case.address_document_type)},
        {"name": "address-photo", "done": EvidenceImage.Kind.ADDRESS_DOCUMENT in images},
    ]
    return [step for step in steps if not step.get("skip")]
