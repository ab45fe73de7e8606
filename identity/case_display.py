"""An identity case as staff read it: every reason, score, shortfall and photo note in words, in
the reader's language, from the codes and numbers the case stores. The identity case page and
the identity queue show cases through these functions, never the raw codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import scoring
from .confidence import ELEMENT_NAMES
from .models import DocumentType, EvidenceImage, IdentityCase

QUALITY_WORDS = {
    "too_dark": gettext_lazy("too dark"),
    "glare": gettext_lazy("glare on the photo"),
    "blurred": gettext_lazy("blurred"),
}

# What each element's score measures, to say the number in words beside it.
ELEMENT_SCALE = {"activity": 4, "fraud": 3, "verification": 4}
EVIDENCE_SCALE = 4


def reason_label(code: str) -> str:
    """A reason code in words; a code this service has no words for says so rather than showing
    itself as if it were a sentence."""
    return scoring.reason_words(code) or _("A check gave a reason this service has no words for")


def reason_rows(case: IdentityCase) -> list[dict[str, str]]:
    return [
        {"code": code, "words": reason_label(code), "known": bool(scoring.reason_words(code))} for code in case.reasons
    ]


def _evidence_name(kind: str) -> str:
    if kind == "address":
        return _("Proof of address")
    if kind in DocumentType.values:
        return str(DocumentType(kind).label)
    return _("Other evidence")


def _out_of(score: Any, scale: int) -> str:
    return _("%(score)s out of %(scale)s") % {"score": score, "scale": scale}


def score_rows(case: IdentityCase) -> list[dict[str, str]]:
    """One row per piece of evidence and per element: what it is, and its score in words."""
    scores = case.scores or {}
    rows = []
    for piece in scores.get("evidence", []):
        rows.append(
            {
                "name": _evidence_name(piece.get("kind", "")),
                "value": _("Strength %(strength)s, validity %(validity)s")
                % {
                    "strength": _out_of(piece.get("strength", 0), EVIDENCE_SCALE),
                    "validity": _out_of(piece.get("validity", 0), EVIDENCE_SCALE),
                },
            }
        )
    for element in ("activity", "fraud", "verification"):
        if element in scores:
            rows.append(
                {"name": str(ELEMENT_NAMES[element]), "value": _out_of(scores[element], ELEMENT_SCALE[element])}
            )
    return rows


def _requirement(value: str) -> str:
    """A stored "strength/validity" pair, or "none", in words."""
    if value == "none":
        return _("no document strong enough")
    strength, _slash, validity = value.partition("/")
    if strength.isdigit() and validity.isdigit():
        return _("strength %(strength)s and validity %(validity)s") % {"strength": strength, "validity": validity}
    return value


def shortfall_rows(case: IdentityCase) -> list[dict[str, str]]:
    """What the closest medium profile still lacks, element by element, in words."""
    rows = []
    for item in case.missing or []:
        element = item.get("element", "")
        name = str(ELEMENT_NAMES[element]) if element in ELEMENT_NAMES else _("Another requirement")
        if element in ("evidence", "validity"):
            words = _("has %(have)s, needs %(need)s") % {
                "have": _requirement(str(item.get("have", ""))),
                "need": _requirement(str(item.get("need", ""))),
            }
        else:
            words = _("scores %(have)s, needs at least %(need)s") % {
                "have": item.get("have", ""),
                "need": item.get("need", ""),
            }
        rows.append({"name": name, "words": words})
    return rows


def _taken_on(raw: str | None) -> datetime | None:
    """The camera's own "YYYY:MM:DD HH:MM:SS" (EXIF), read leniently: a file may say anything."""
    if not raw:
        return None
    try:
        return datetime.strptime(raw.strip()[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def image_notes(image: EvidenceImage) -> dict[str, Any]:
    signals = image.signals or {}
    return {
        "software": signals.get("software") or "",
        "taken": _taken_on(signals.get("captured_at")),
        "quality": [str(QUALITY_WORDS.get(code, _("unclear"))) for code in image.quality_reasons or []],
    }
