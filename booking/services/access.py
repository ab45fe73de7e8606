"""Who may change an office's diary: verified staff with the permission the work needs, for the
offices they belong to. Every diary service asks here first; views only show the refusal."""

from __future__ import annotations

from identity.models import User

from ..models import MANAGE_DIARY
from ..refusals import BookingRefused


def check_office(actor: User, *office_ids: int | None, permission: str = MANAGE_DIARY) -> None:
    """Refuse unless `actor` holds `permission` and belongs to one of `office_ids`."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(permission)):
        raise BookingRefused("not_allowed")
    if not actor.offices.filter(pk__in=[pk for pk in office_ids if pk is not None]).exists():
        raise BookingRefused("other_office")
