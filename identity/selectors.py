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


def identity_queue(*, office_code: str = "", reason: str = "", older_than_days: int | None = None):
    """Identity cases waiting for a registrar, oldest first, filtered as the queue page asks."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import IdentityCase

    cases = IdentityCase.objects.filter(status=IdentityCase.Status.WITH_REGISTRAR).select_related("person", "office")
    if office_code:
        cases = cases.filter(office__code=office_code)
    if reason:
        cases = (
            cases.filter(reasons__contains=[reason])
            if _json_contains_supported()
            else cases.filter(reasons__icontains=f'"{reason}"')
        )
    if older_than_days:
        cases = cases.filter(submitted_at__lte=timezone.now() - timedelta(days=older_than_days))
    return cases.order_by("submitted_at", "id")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def person_summary(*, person: User) -> list[dict[str, Any]]:
    """What an assisted session shows of the person's identity checks: reference and stage."""
    from .models import IdentityCase

    return [
        {"reference": case.reference, "stage": case.get_status_display(), "created_at": case.created_at}
        for case in IdentityCase.objects.filter(person=person).order_by("-created_at")[:10]
    ]


def support_activity(*, days: int) -> list[dict[str, Any]]:
    """Per phone-support member over the last `days`: searches, sessions, people helped, refused
    consent codes, and flags for unusual patterns (many searches without consent; sessions for
    many different people)."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import AuditEntry

    since = timezone.now() - timedelta(days=days)
    counts = (
        AuditEntry.objects.filter(at__gte=since, action__startswith="assisted.", actor__isnull=False)
        .values("actor_id", "actor_email")
        .annotate(
            searches=Count("id", filter=Q(action="assisted.search")),
            sessions=Count("id", filter=Q(action="assisted.session_opened")),
            refusals=Count("id", filter=Q(action="assisted.consent_refused")),
            people=Count("subject", filter=Q(action="assisted.session_opened"), distinct=True),
        )
        .order_by("actor_email")
    )
    rows = []
    for row in counts:
        if not (row["searches"] or row["sessions"] or row["refusals"]):
            continue
        flags = []
        if row["searches"] >= settings.ASSISTED_FLAG_SEARCHES and row["searches"] > 3 * max(row["sessions"], 1):
            flags.append("many_searches_without_consent")
        if row["people"] / days >= settings.ASSISTED_FLAG_PEOPLE_PER_DAY:
            flags.append("sessions_for_many_people")
        if row["refusals"] >= settings.ASSISTED_FLAG_REFUSALS:
            flags.append("many_refused_codes")
        rows.append({**row, "flags": flags})
    return rows
