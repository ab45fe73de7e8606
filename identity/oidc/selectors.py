"""Reads: the services a person shares their identity with, and the registered services for staff."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

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


def requested_language(ui_locales: str | None) -> str | None:
    """The first language of a service's `ui_locales` (OpenID Connect Core 3.1.2.1) that the
    pages are written in, e.g. "cy-GB en" -> "cy"; None when it names none of them."""
    supported = {code for code, _name in settings.LANGUAGES}
    for tag in (ui_locales or "").split()[:10]:
        language = tag.split("-")[0].lower()
        if language in supported:
            return language
    return None


def authorize_params(next_url: str | None) -> dict[str, str]:
    """The query of this provider's authorization request when `next_url` is one, else {}."""
    if not next_url:
        return {}
    parts = urlsplit(next_url)
    if parts.path != reverse("oauth2_provider:authorize"):
        return {}
    return {name: values[0] for name, values in parse_qs(parts.query).items()}


def service_asking(next_url: str | None) -> ServiceClient | None:
    """The active service a sign-in was started for, when the page to return to is this provider's
    authorization endpoint: so the sign-in page can say where the person is going."""
    client_id = authorize_params(next_url).get("client_id", "")
    service = service_for_client_id(client_id[:100]) if client_id else None
    return service if service is not None and service.active else None
