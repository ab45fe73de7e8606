"""Reads: the services a person shares their identity with, and the registered services for staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from identity.models import User

from .models import ClaimRelease, ServiceClient, SharingConsent

RECENT_RELEASES = 5


def sharing_for(*, person: User) -> list[dict[str, Any]]:
    """Each service with a live consent, what it may receive and the latest releases to it."""
    consents = (
        SharingConsent.objects.filter(person=person, withdrawn_at__isnull=True)
        .select_related("client__application")
        .order_by("client__application__name")
    )
    rows = []
    for consent in consents:
        releases = list(
            ClaimRelease.objects.filter(person=person, client=consent.client).order_by("-released_at")[:RECENT_RELEASES]
        )
        rows.append({"consent": consent, "service": consent.client, "releases": releases})
    return rows


def registered_clients() -> QuerySet[ServiceClient]:
    return ServiceClient.objects.select_related("application").order_by("application__name")


def service_for_client_id(client_id: str) -> ServiceClient | None:
    return ServiceClient.objects.select_related("application").filter(application__client_id=client_id).first()
