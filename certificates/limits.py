"""How often one client address may ask to verify a certificate: enough for anyone checking
the certificates in front of them, too few to walk through serial numbers."""

from __future__ import annotations

from django.conf import settings

from core.windows import over_any_limit

from .refusals import VerificationRefused


def count_verification(client_address: str | None) -> None:
    """Counts this request; refuses it (`throttled`) once the address is over either limit."""
    limits = [
        (60, settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE),
        (3600, settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR),
    ]
    if over_any_limit(f"certificates:verify:{client_address or 'unknown'}", limits):
        raise VerificationRefused("throttled")
