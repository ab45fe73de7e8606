"""How often one client address may ask to verify a certificate: enough for anyone checking
the certificates in front of them, too few to walk through serial numbers."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .refusals import VerificationRefused


def count_verification(client_address: str | None) -> None:
    """Counts this request; refuses it (`throttled`) once the address is over either limit."""
    address = client_address or "unknown"
    for window, limit in (
        (60, settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE),
        (3600, settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR),
    ):
        key = f"certificates:verify:{window}:{address}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count > limit:
            raise VerificationRefused("throttled")
