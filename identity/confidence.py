"""Confidence from evidence, modelled on GPG 45 (IDENTITY-RULES.md): element scores in,
the medium-confidence profile met (if any) out, and for the closest profile what is missing
and what would lift it. Scores are never added together: a profile is met only when every
element is at or above its minimum."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: its strength and validity scores (0-4) and what it is."""

    strength: int
    validity: int
    kind: str = ""


@dataclass(frozen=True)
class Profile:
    name: str
    evidence: tuple[tuple[int, int], ...]  # (strength, validity) each piece must reach
    activity: int
    fraud: int
    verification: int


# The medium-confidence profiles of IDENTITY-RULES.md, in the table's order.
MEDIUM_PROFILES = (
    Profile("M1A", ((4, 2),), activity=0, fraud=1, verification=2),
    Profile("M1B", ((3, 2),), activity=1, fraud=2, verification=2),
    Profile("M1C", ((3, 3),), activity=0, fraud=0, verification=3),
    Profile("M1D", ((2, 2),), activity=2, fraud=1, verification=3),
    Profile("M2A", ((2, 2), (2, 2)), activity=3, fraud=2, verification=2),
    Profile("M2B", ((3, 2), (2, 2)), activity=1, fraud=1, verification=2),
    Profile("M2C", ((3, 2), (2, 2)), activity=0, fraud=1, verification=3),
    Profile("M3A", ((2, 2), (2, 2), (2, 2)), activity=2, fraud=2, verification=2),
)

ADVICE = {
    "evidence": _("Add an identity document: a UK passport, or a UK photocard driving licence and a proof of address."),
    "activity": _("Add a proof of address that shows you have lived at your address for longer."),
    "fraud": _("A registrar needs to check your documents. They will contact you."),
    "verification": _(
        "Confirm your mobile number with a code, or a registrar will compare your photo with your document."
    ),
}


@dataclass(frozen=True)
class Shortfall:
    element: str  # evidence, activity, fraud or verification
    have: str
    need: str

    @property
    def advice(self) -> str:
        return str(ADVICE[self.element])


@dataclass(frozen=True)
class Scores:
    evidence: tuple[Evidence, ...]
    activity: int
    fraud: int
    verification: int


@dataclass(frozen=True)
class Assessment:
    medium: bool
    profile: str | None  # the profile met, or the closest one when none is
    missing: tuple[Shortfall, ...] = field(default_factory=tuple)

    @property
    def level(self) -> str:
        return "medium" if self.medium else "below_medium"


def _evidence_gap(profile: Profile, evidence: tuple[Evidence, ...]) -> tuple[int, list[Shortfall]]:
    """How far the evidence is from the profile's requirements, over every way of assigning
    distinct pieces to them (the lists are tiny, so trying them all is cheap and exact).

    A document's scores cannot be raised, so a requirement no piece meets costs a whole new
    document of that strength and validity."""
    requirements = profile.evidence
    pieces = list(evidence) + [None] * len(requirements)
    best: tuple[int, list[Shortfall]] | None = None
    for chosen in permutations(pieces, len(requirements)):
        gap = 0
        shortfalls = []
        for (strength, validity), piece in zip(requirements, chosen, strict=True):
            if piece is None or piece.strength < strength or piece.validity < validity:
                gap += strength + validity
                shortfalls.append(Shortfall("evidence", "none", f"{strength}/{validity}"))
        if best is None or gap < best[0]:
            best = (gap, shortfalls)
            if gap == 0:
                break
    assert best is not None
    return best


def assess(scores: Scores) -> Assessment:
    """Medium if any profile is met; otherwise the closest profile (smallest total gap, then
    fewest elements short, then table order) and what it lacks."""
    candidates = []
    for order, profile in enumerate(MEDIUM_PROFILES):
        gap, shortfalls = _evidence_gap(profile, scores.evidence)
        for element in ("activity", "fraud", "verification"):
            have, need = getattr(scores, element), getattr(profile, element)
            if have < need:
                gap += need - have
                shortfalls.append(Shortfall(element, str(have), str(need)))
        if gap == 0:
            return Assessment(medium=True, profile=profile.name)
        candidates.append((gap, len(shortfalls), order, profile.name, tuple(shortfalls)))
    _gap, _count, _order, name, shortfalls = min(candidates)
    return Assessment(medium=False, profile=name, missing=shortfalls)
