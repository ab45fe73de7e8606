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
