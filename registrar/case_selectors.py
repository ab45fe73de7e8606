"""Reads for registrar casework: which cases and entries a staff member may see (their offices,
or every office for national roles), the exception queue shared with identity cases, a case's
likely duplicates, the office dashboard's figures, and which integrators were told what."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from identity.models import RegisterOffice, User
from identity.roles import is_national
from identity.selectors import identity_queue

from . import rules, selectors
from .marriage import objection_selectors
from .models import EVENT_BY_LETTER, CaseAction, Event, RegisterEntry, RegisterEvent, Registration
from .staff_registration.words import taken_by_words

# --- Who sees what ---------------------------------------------------------------------------------


def offices_for(user: User) -> QuerySet[RegisterOffice]:
    return RegisterOffice.objects.all() if is_national(user) else user.offices.all()


def registrations_for(user: User) -> QuerySet[Registration]:
    registrations = Registration.objects.select_related(
        "district", "informant", "assigned_to", "medical_certificate", "made_by"
    )
    if is_national(user):
        return registrations
    return registrations.filter(district__in=user.offices.all())


def entries_for(user: User) -> QuerySet[RegisterEntry]:
    entries = RegisterEntry.objects.select_related("district", "registration__informant", "registered_by")
    if is_national(user):
        return entries
    return entries.filter(district__in=user.offices.all())


def registration_case(*, user: User, reference: str) -> Registration | None:
    """A registration the staff member may work; None for an unknown one or another office's
    (the page answers 404 either way, so a reference reveals nothing)."""
    return registrations_for(user).exclude(status=Registration.Status.DRAFT).filter(reference=reference).first()


ENTRY_REFERENCE = re.compile(r"^\s*([A-Za-z0-9-]{1,20})/([A-Za-z])/(\d{4})/(\d{1,9})\s*$")


def parse_entry_reference(text: str) -> tuple[str, str, int, int] | None:
    match = ENTRY_REFERENCE.match(text or "")
    if not match:
        return None
    district, letter, year, number = match.groups()
    if letter.upper() not in EVENT_BY_LETTER:
        return None
    return district.upper(), EVENT_BY_LETTER[letter.upper()], int(year), int(number)


def find_entry(*, user: User, reference: str) -> RegisterEntry | None:
    """An entry by its reference (`LEEDS/B/2026/000123`) or its registration's reference."""
    parsed = parse_entry_reference(reference)
    entries = entries_for(user)
    if parsed:
        district, event, year, number = parsed
        return entries.filter(district__code__iexact=district, event=event, year=year, number=number).first()
    text = (reference or "").strip().upper()
    return entries.filter(registration__reference=text).first() if text else None


def entry_by_parts(*, user: User, district: str, letter: str, year: int, number: int) -> RegisterEntry | None:
    event = EVENT_BY_LETTER.get(letter.upper())
    if event is None:
        return None
    return entries_for(user).filter(district__code__iexact=district, event=event, year=year, number=number).first()


# --- Late registrations ----------------------------------------------------------------------------


def needs_registrar_generals_authority(registration: Registration, *, on: date | None = None) -> bool:
    """More than 12 months after the birth or death on the day it would be registered
    (`rules.lateness`, REGISTRATION-RULES.md)."""
    if registration.event_date is None:
        return False
    band = rules.lateness(
        event=registration.event,
        event_date=registration.event_date,
        deadline=registration.deadline,
        today=on or timezone.localdate(),
    )
    return band == rules.NEEDS_AUTHORITY


def late_authority_given(registration: Registration) -> bool:
    """The Registrar General's office authorised it, and no later refusal took that back."""
    last = (
        registration.case_actions.filter(kind__in=[CaseAction.Kind.AUTHORITY_GIVEN, CaseAction.Kind.AUTHORITY_REFUSED])
        .order_by("-at", "-id")
        .first()
    )
    return bool(last and last.kind == CaseAction.Kind.AUTHORITY_GIVEN)


# --- The queue ---------------------------------------------------------------------------------------


@dataclass
class QueueItem:
    kind: str  # birth, death, identity or objection
    reference: str
    url: str
    status: str
    office: RegisterOffice | None
    submitted_at: datetime | None
    deadline: date | None = None
    reasons: list[str] = field(default_factory=list)
    assigned_to: User | None = None
    about: str = ""
    # A registration staff took for someone, in words ("Taken in person by …"); empty otherwise.
    taken_by: str = ""

    @property
    def waiting_days(self) -> int | None:
        return (timezone.now() - self.submitted_at).days if self.submitted_at else None

    @property
    def overdue(self) -> bool:
        return bool(self.deadline and self.deadline < timezone.localdate())


def _with_reason(queryset, reason: str):
    if connection.vendor == "postgresql":
        return queryset.filter(reasons__contains=[reason])
    return queryset.filter(reasons__icontains=f'"{reason}"')


def given_filters(filters: dict[str, Any]) -> dict[str, Any] | None:
    """The queue filters a request gave (for its audit entry), None when it gave none."""
    return {name: value for name, value in filters.items() if value not in ("", None)} or None


def case_queue(
    *,
    user: User,
    office_code: str = "",
    kind: str = "",
    reason: str = "",
    older_than_days: int | None = None,
    deadline_within_days: int | None = None,
    assigned: str = "",
    include_identity: bool = True,
    include_objections: bool = True,
) -> list[QueueItem]:
    """Registration cases needing a human in the staff member's offices, the identity cases
    waiting for a registrar there, and the open objections to notices, oldest first."""
    now = timezone.now()
    items: list[QueueItem] = []
    if kind in ("", Event.BIRTH, Event.DEATH):
        registrations = registrations_for(user).filter(status__in=Registration.QUEUED)
        if office_code:
            registrations = registrations.filter(district__code=office_code)
        if kind:
            registrations = registrations.filter(event=kind)
        if reason:
            registrations = _with_reason(registrations, reason)
        if older_than_days is not None:
            registrations = registrations.filter(submitted_at__lte=now - timedelta(days=older_than_days))
        if deadline_within_days is not None:
            registrations = registrations.filter(
                deadline__lte=timezone.localdate() + timedelta(days=deadline_within_days)
            )
        if assigned == "me":
            registrations = registrations.filter(assigned_to=user)
        elif assigned == "nobody":
            registrations = registrations.filter(assigned_to__isnull=True)
        for registration in registrations[:2000]:
            items.append(
                QueueItem(
                    kind=registration.event,
                    reference=registration.reference,
                    url=reverse("registrar-staff:case", args=[registration.reference]),
                    status=registration.get_status_display(),
                    office=registration.district,
                    submitted_at=registration.submitted_at,
                    deadline=registration.deadline,
                    reasons=list(registration.reasons or []),
                    assigned_to=registration.assigned_to,
                    taken_by=taken_by_words(registration),
                )
            )
    # Identity cases have no deadline and no assignee; those filters leave them out.
    if include_identity and kind in ("", "identity") and deadline_within_days is None and assigned != "me":
        cases = identity_queue(user=user, office_code=office_code, reason=reason, older_than_days=older_than_days)
        for case in cases[:2000]:
            items.append(
                QueueItem(
                    kind="identity",
                    reference=case.reference,
                    url=reverse("identity:staff-identity-case", args=[case.reference]),
                    status=case.get_status_display(),
                    office=case.office,
                    submitted_at=case.submitted_at,
                    reasons=list(case.reasons or []),
                )
            )
    # Objections to notices wait for a superintendent registrar; they have no reason codes,
    # deadline or assignee, so those filters leave them out.
    if (
        include_objections
        and kind in ("", "objection")
        and not reason
        and deadline_within_days is None
        and assigned != "me"
        and user.has_perm("registrar.work_notices")
    ):
        objections = objection_selectors.open_objections(user=user, office_code=office_code)
        if older_than_days is not None:
            objections = objections.filter(raised_at__lte=now - timedelta(days=older_than_days))
        for objection in objections[:2000]:
            items.append(
                QueueItem(
                    kind="objection",
                    reference=objection.reference,
                    url=reverse("marriage-staff:objection", args=[objection.reference]),
                    status=objection.get_status_display(),
                    office=objection.notice.office or objection.notice.proposal.district,
                    submitted_at=objection.raised_at,
                    about=objection.notice.reference,
                )
            )
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda item: (item.submitted_at or far, item.reference))
    return items


def queue_reason_codes(*, user: User) -> list[str]:
    """The reason codes on cases in the staff member's queue, for the filter's choices."""
    codes: set[str] = set()
    for reasons in (
        registrations_for(user).filter(status__in=Registration.QUEUED).values_list("reasons", flat=True)[:2000]
    ):
        codes.update(str(code) for code in reasons or [])
    return sorted(codes)


def colleagues(*, registration: Registration) -> QuerySet[User]:
    """Staff who can work cases in the registration's office (the ones a case can go to)."""
    return (
        User.objects.filter(is_active=True, is_staff=True, offices=registration.district)
        .filter(
            Q(
                groups__permissions__codename="work_registrations",
                groups__permissions__content_type__app_label="registrar",
            )
            | Q(is_superuser=True)
        )
        .exclude(pk=registration.informant_id)
        .distinct()
        .order_by("full_name", "email")
    )


# --- One case ---------------------------------------------------------------------------------------


@dataclass
class Duplicates:
    entries: list[RegisterEntry]
    registrations: list[Registration]

    def __bool__(self) -> bool:
        return bool(self.entries or self.registrations)


def likely_duplicates(registration: Registration) -> Duplicates:
    """The entries and other registrations `selectors.likely_duplicates` finds (the same mother
    within days of the birth; the same deceased name and date of birth), loaded for a side by
    side view. Searched across every office: a duplicate is often registered elsewhere."""
    references = selectors.likely_duplicates(registration)
    entries = []
    for reference in references:
        parsed = parse_entry_reference(reference)
        if parsed:
            district, event, year, number = parsed
            entry = (
                RegisterEntry.objects.select_related("district")
                .filter(district__code=district, event=event, year=year, number=number)
                .first()
            )
            if entry is not None:
                entries.append(entry)
    registrations = list(
        Registration.objects.select_related("district").filter(reference__in=references).order_by("submitted_at")
    )
    return Duplicates(entries, registrations)


# --- Who was told ------------------------------------------------------------------------------------


def _told(events) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        for delivery in event.deliveries.all():
            rows.append(
                {
                    "event_id": str(event.event_id),
                    "kind": event.kind,
                    "kind_label": event.get_kind_display(),
                    "entry": event.entry.entry_reference,
                    "published_at": event.created_at,
                    "integrator": delivery.subscription.integrator,
                    "status": delivery.status,
                    "status_label": delivery.get_status_display(),
                    "delivered_at": delivery.delivered_at,
                    "attempts": delivery.attempts,
                }
            )
    return rows


def events_for_registration(registration: Registration) -> list[dict[str, Any]]:
    """What was sent to whom and when, for the person's status page ("who was told"): one row
    per event and integrator, oldest first."""
    events = (
        RegisterEvent.objects.filter(registration=registration)
        .select_related("entry__district")
        .prefetch_related("deliveries__subscription")
        .order_by("created_at", "id")
    )
    return _told(events)


def events_for_entry(entry: RegisterEntry) -> list[dict[str, Any]]:
    events = (
        RegisterEvent.objects.filter(entry=entry)
        .select_related("entry__district")
        .prefetch_related("deliveries__subscription")
        .order_by("created_at", "id")
    )
    return _told(events)
