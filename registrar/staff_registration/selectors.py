"""Which registrations taken by staff a staff member may see and work on (a registrar: their
offices' in-person ones; phone support: only the person in their open assisted session)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from identity.assisted import current_session
from identity.models import AssistedSession, User

from ..case_selectors import offices_for
from ..models import Registration

WORK = "registrar.work_registrations"
ASSIST = "identity.assist_citizens"


def assisted_session_of(staff: User) -> AssistedSession | None:
    """Phone support's open session, the only person they may take a registration for."""
    if not staff.has_perm(ASSIST):
        return None
    return current_session(staff=staff)


def taken_registrations_for(staff: User) -> QuerySet[Registration]:
    """A registrar: the ones they took, and those of their offices' districts taken in person by
    a colleague. Phone support: only those of the person in their open assisted session."""
    registrations = Registration.objects.select_related("informant", "district", "made_by").filter(
        made_by__isnull=False
    )
    allowed = Q(pk__in=[])
    if staff.has_perm(WORK):
        allowed |= Q(made_by=staff, assisted_session__isnull=True) | Q(
            assisted_session__isnull=True, district__in=offices_for(staff)
        )
    session = assisted_session_of(staff)
    if session is not None:
        allowed |= Q(informant=session.person, assisted_session__isnull=False)
    return registrations.filter(allowed)


def taken_registration(*, staff: User, reference: str) -> Registration | None:
    return taken_registrations_for(staff).filter(reference=reference).first()


def drafts_taken_by(staff: User) -> QuerySet[Registration]:
    """To resume: the drafts the staff member may work on, newest first."""
    return taken_registrations_for(staff).filter(status__in=Registration.EDITABLE).order_by("-created_at")
