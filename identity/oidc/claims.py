"""What a service is told about a person: a pairwise subject, the email address, and — with the
`identity` scope, only at medium confidence — the verified identity with the GPG 45 profile met."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings

from identity.models import IdentityCase, User
from identity.selectors import has_medium_confidence

# The claim set each scope releases (OpenID Connect Core 5.4 for the standard ones).
SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "email": ("email", "email_verified"),
    # `acr` (OpenID Connect Core 2) names the same level in the ID token's standard claim.
    "identity": ("acr", "vot", "verified_identity"),
}
IDENTITY_SCOPE = "identity"
# GOV.UK One Login's vector of trust for an identity checked at medium confidence.
MEDIUM_CONFIDENCE = "P2"


def pairwise_subject(*, person: User, sector: str) -> str:
    """The same for a person within one sector, unrelated across sectors (OpenID Connect Core 8.1)."""
    message = f"{sector}\x00{person.pk}".encode()
    digest = hmac.new(settings.OIDC_PAIRWISE_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verified_case(person: User) -> IdentityCase | None:
    if not has_medium_confidence(person):
        return None
    return (
        IdentityCase.objects.filter(person=person, status=IdentityCase.Status.VERIFIED)
        .order_by("-decided_at", "-pk")
        .first()
    )


def verified_identity(case: IdentityCase) -> dict[str, Any]:
    verified_on = case.decided_at or case.submitted_at
    return {
        "given_name": case.given_names,
        "family_name": case.surname,
        "birthdate": case.birth_date.isoformat() if case.birth_date else None,
        "address": {"street_address": case.address, "postal_code": case.postcode, "country": "GB"},
        "vot": MEDIUM_CONFIDENCE,
        "gpg45_profile": case.profile or None,  # a registrar's decision may name no profile
        "verified_on": verified_on.date().isoformat() if verified_on else None,
    }


def claims_for(*, person: User, sector: str, scopes: list[str] | set[str]) -> dict[str, Any]:
    """Every claim the scopes release for this person (the caller keeps only the granted scopes')."""
    claims: dict[str, Any] = {"sub": pairwise_subject(person=person, sector=sector)}
    if "email" in scopes:
        claims["email"] = person.email
        # Set when the person first signs in with a code sent to the address.
        claims["email_verified"] = person.email_verified_at is not None
    if IDENTITY_SCOPE in scopes:
        case = verified_case(person)
        if case is not None:
            claims["verified_identity"] = verified_identity(case)
            claims["vot"] = MEDIUM_CONFIDENCE
            claims["acr"] = MEDIUM_CONFIDENCE
    return claims


def released_claim_names(claims: dict[str, Any]) -> list[str]:
    return sorted(claims)
