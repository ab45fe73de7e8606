"""Reference numbers people read out on the phone: a prefix and 8 random characters from an
alphabet without look-alikes (no 0/O, 1/I), e.g. ID-K7QH-3MZP."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"
