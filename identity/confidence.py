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
    "validity": _(
        "We could not check that your document is genuine. A registrar can check it with you at an identity "
        "appointment, by video or at any register office."
    ),
    "activity": _(
        "We could not find a long enough history of your identity. A registrar can check your identity with you "
        "at an identity appointment."
    ),
    "fraud": _("A registrar needs to check your documents. They will contact you."),
    "verification": _(
        "Take a photo of your face so we can compare it with the photo on your document, or book an identity "
        "appointment by video or at any register office, where a registrar will compare you with your document."
    ),
}

# For someone who has already given a photo of their face that did not earn enough.
VERIFICATION_ADVICE_AFTER_SELFIE = _(
    "Book an identity appointment by video or at any register office, where a registrar will compare you with "
    "your document."
)

# The elements in words, for staff pages.
ELEMENT_NAMES = {
    "evidence": _("Identity document"),
    "validity": _("Document checked as genuine"),
    "activity": _("History of the identity"),
    "fraud": _("Identity fraud checks"),
    "verification": _("Person matched to the identity"),
}


@dataclass(frozen=True)
class Shortfall:
    element: str  # evidence, validity, activity, fraud or verification
    have: str
    need: str

    @property
    def advice(self) -> str:
        return str(ADVICE[self.element])

    @property
    def name(self) -> str:
        return str(ELEMENT_NAMES[self.element])


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

    A document's strength cannot be raised, so a requirement no piece is strong enough for costs
    a whole new document; a strong enough piece whose validity falls short costs the checks that
    would raise it."""
    requirements = profile.evidence
    pieces = list(evidence) + [None] * len(requirements)
    best: tuple[int, list[Shortfall]] | None = None
    for chosen in permutations(pieces, len(requirements)):
        gap = 0
        shortfalls = []
        for (strength, validity), piece in zip(requirements, chosen, strict=True):
            if piece is None or piece.strength < strength:
                gap += strength + validity
                shortfalls.append(Shortfall("evidence", "none", f"{strength}/{validity}"))
            elif piece.validity < validity:
                gap += validity - piece.validity
                shortfalls.append(Shortfall("validity", f"{piece.strength}/{piece.validity}", f"{strength}/{validity}"))
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
