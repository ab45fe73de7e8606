"""Secret iCalendar feed URLs for an office's diary or one of its officers'. Only a token's
SHA-256 is stored, so a token is shown once and a leaked database gives no working URL."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from identity.audit import record_audit
from identity.models import RegisterOffice, User

from ..models import CalendarFeed
from ..refusals import BookingRefused
from ..selectors import office_officers
from .access import check_office


def create_calendar_feed(
    *, actor: User, office: RegisterOffice, officer: User | None = None
) -> tuple[CalendarFeed, str]:
    """A feed of `office`'s diary, or of one of its officers' when `officer` is given. Returns
    the feed and its token."""
    check_office(actor, office.pk)
    if officer is not None and not office_officers(office_id=office.pk).filter(pk=officer.pk).exists():
        raise BookingRefused("not_an_officer_here")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            office=None if officer else office,
            officer=officer,
            created_by=actor,
        )
        record_audit(
            actor=actor,
            action="booking.calendar_feed_created",
            subject=officer,
            object_type="calendar_feed",
            object_id=feed.pk,
            detail={"office": None if officer else office.code, "officer": officer.pk if officer else None},
        )
    return feed, token


def revoke_calendar_feed(*, feed: CalendarFeed, office: RegisterOffice, actor: User) -> None:
    """Revoke a feed of `office` or of one of its officers; its URL stops working at once."""
    check_office(actor, office.pk)
    if feed.office_id != office.pk and not (
        feed.officer_id and office_officers(office_id=office.pk).filter(pk=feed.officer_id).exists()
    ):
        raise BookingRefused("other_office")
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="booking.calendar_feed_revoked",
            subject=feed.officer,
            object_type="calendar_feed",
            object_id=feed.pk,
            detail={"office": feed.office.code if feed.office else None, "officer": feed.officer_id},
        )
        feed.delete()
