"""Reads for accounts and identity checks: a staff member's profile, the development outbox, a
person's current identity check and its task list, which identity cases a registrar may work (the
identity queue, shared with the registrar's exception queue), what phone support sees of a
person, and the phone-support activity report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, DocumentType, EvidenceImage, IdentityCase, OutboundMessage, RegisterOffice, User
from .roles import is_national, roles_of

WORK_CASES = "identity.work_cases"


def staff_profile(*, user: User) -> dict[str, Any]:
    return {"roles": roles_of(user), "offices": list(user.offices.order_by("name"))}


def outbox_messages(*, limit: int = 50) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.order_by("-created_at", "-id")[:limit]


def current_identity_case(*, person: User) -> IdentityCase | None:
    """The open case, else the most recent decided one, else None."""
    cases = IdentityCase.objects.filter(person=person)
    return cases.filter(status__in=IdentityCase.OPEN_STATUSES).first() or cases.order_by("-created_at").first()


def journey_steps(case: IdentityCase | None) -> list[dict[str, Any]]:
    """The task list of the identity check, with what is done and which steps are optional."""
    images = set(case.images.filter(deleted_at__isnull=True).values_list("kind", flat=True)) if case else set()
    other = case is not None and case.document_type == DocumentType.OTHER
    steps = [
        {"name": "document-type", "done": bool(case and case.document_type)},
        {"name": "document", "done": bool(case and case.document_number)},
        {"name": "document-photo", "done": EvidenceImage.Kind.IDENTITY_DOCUMENT in images},
        # Compared with the document photo; optional, so that a person without a camera can still
        # send their check (to a registrar).
        {"name": "selfie", "done": EvidenceImage.Kind.SELFIE in images, "skip": other, "optional": True},
        {"name": "address", "done": bool(case and case.address_document_type)},
        {"name": "address-photo", "done": EvidenceImage.Kind.ADDRESS_DOCUMENT in images},
    ]
    return [step for step in steps if not step.get("skip")]


# --- Which identity cases a registrar may work ----------------------------------------------------------


def works_identity_cases(user: User) -> bool:
    """Staff who hold the permission to work identity cases (registrars, superintendents)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm(WORK_CASES))


def offices_for(*, user: User) -> QuerySet[RegisterOffice]:
    """The offices whose work the staff member sees: their own, or every office for national roles."""
    offices = RegisterOffice.objects.all() if is_national(user) else user.offices.all()
    return offices.order_by("name")


def identity_cases_for(*, user: User) -> QuerySet[IdentityCase]:
    """Every identity case the staff member may open and decide: those of their own offices (every
    office for national roles), and those no office could be found for (the postcode was not
    placed), which every registrar may pick up so that none is stranded. Nothing for anyone else."""
    if not works_identity_cases(user):
        return IdentityCase.objects.none()
    cases = IdentityCase.objects.select_related("person", "office")
    if is_national(user):
        return cases
    return cases.filter(Q(office__in=offices_for(user=user)) | Q(office__isnull=True))


def identity_case_for(*, user: User, reference: str) -> IdentityCase | None:
    """One case the staff member may work; None for an unknown reference or another office's
    (the page answers 404 either way, so a reference reveals nothing)."""
    return identity_cases_for(user=user).filter(reference=reference).first()


def identity_queue(
    *, user: User, office_code: str = "", reason: str = "", older_than_days: int | None = None
) -> QuerySet[IdentityCase]:
    """Identity cases waiting for a registrar that this staff member may work, oldest first,
    filtered as the queue asks. Both the identity queue and the registrar's exception queue list
    identity cases from here."""
    cases = identity_cases_for(user=user).filter(status__in=IdentityCase.REGISTRAR_STATUSES)
    if office_code:
        cases = cases.filter(office__code=office_code)
    if reason:
        cases = (
            cases.filter(reasons__contains=[reason])
            if connection.vendor == "postgresql"
            else cases.filter(reasons__icontains=f'"{reason}"')
        )
    if older_than_days is not None:
        cases = cases.filter(submitted_at__lte=timezone.now() - timedelta(days=older_than_days))
    return cases.order_by("submitted_at", "id")


# --- Phone support -----------------------------------------------------------------------------------------


def person_summary(*, person: User) -> list[dict[str, Any]]:
    """What an assisted session shows of the person's identity checks: reference and stage."""
    return [
        {"reference": case.reference, "stage": case.get_status_display(), "created_at": case.created_at}
        for case in IdentityCase.objects.filter(person=person).order_by("-created_at")[:10]
    ]


def support_activity(*, days: int) -> list[dict[str, Any]]:
    """Per phone-support member over the last `days`: searches, sessions, people helped, refused
    consent codes, and flags for unusual patterns (many searches without consent; sessions for
    many different people)."""
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


def has_medium_confidence(person: User) -> bool:
    """Whether the person's identity is verified at medium confidence: a check whose scores met a
    GPG 45 medium profile (or a registrar's decision). Everything downstream asks this —
    automatic registration, the other parent's confirmation, and what other services are told —
    so a check that drops below medium (identity/reassessment.py) stops counting everywhere."""
    return IdentityCase.objects.filter(person=person, status=IdentityCase.Status.VERIFIED).exists()
