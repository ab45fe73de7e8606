"""The GPG 45 scores a case has earned, from what was actually done to its evidence: one table,
row by row, each row citing the definition it follows in the GOV.UK guidance "How to prove and
verify someone's identity" (GPG 45) and its successor "How to check someone's identity".

A row gives an element its score when every fact it needs holds; an element's score is the
highest row met, and a failed check of that element sets it to 0 whatever else passed (a
document the issuing authority reports stolen is not made genuine by its holograms). Facts
come only from the case's own details and from the `EvidenceCheck` rows the checkers and
registrars recorded, so no score is one a check did not earn. Codes sent to an email address
or a phone prove control of a contact channel — authentication — and appear nowhere here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .checks import REASONS
from .confidence import Evidence, Scores
from .models import AddressDocumentType, DocumentType, EvidenceCheck, EvidenceImage, IdentityCase
from .verifiers.reasons import REASONS as CHECKER_REASONS

Kind = EvidenceCheck.Kind
Outcome = EvidenceCheck.Outcome

GPG45 = "GPG 45, How to prove and verify someone's identity"


@dataclass(frozen=True)
class Row:
    element: str  # validity (of the identity document), verification, fraud or activity
    score: int
    needs: frozenset[str]
    because: str  # in words, for the registrar and the person
    cites: str  # the GPG 45 definition this row follows


def _row(element: str, score: int, needs: set[str], because: str, cites: str) -> Row:
    return Row(element, score, frozenset(needs), because, f"{GPG45}, {cites}")


# What counts, element by element. Facts are named below in `facts_for`.
TABLE: tuple[Row, ...] = (
    # Validity: is the identity document genuine, valid and not reported lost, stolen or cancelled?
    _row(
        "validity",
        1,
        {"details_consistent", "document_photo"},
        _("The document's details are well formed and agree with each other, and a readable photo was given"),
        "'Check the evidence is genuine or valid', score 1: the details are consistent and well formed "
        "(typed machine readable lines and a photo of the page show no more than this)",
    ),
    _row(
        "validity",
        2,
        {"details_consistent", "document_photo", "document_authenticity"},
        _("A document checker confirmed the security features in the photo of the document"),
        "'Check the evidence is genuine or valid', score 2: the evidence's security features were "
        "checked and found genuine",
    ),
    _row(
        "validity",
        2,
        {"details_consistent", "issuer_validation"},
        _("The issuing authority confirmed the document is valid and its details match"),
        "'Check the evidence is genuine or valid', score 2: the details were confirmed as valid with "
        "the issuing source, and it is not recorded as lost, stolen or cancelled",
    ),
    _row(
        "validity",
        2,
        {"details_consistent", "trained_inspection"},
        _("A registrar inspected the document's visible security features with the person"),
        "'Check the evidence is genuine or valid', score 2: a trained person checked the physical "
        "security features of the evidence",
    ),
    _row(
        "validity",
        3,
        {"details_consistent", "document_photo", "document_authenticity", "issuer_validation"},
        _("Security features checked and the details confirmed with the issuing authority"),
        "'Check the evidence is genuine or valid', score 3: security features checked and the details "
        "confirmed with the issuing source",
    ),
    _row(
        "validity",
        3,
        {"details_consistent", "trained_inspection", "issuer_validation"},
        _("A registrar inspected the document and the issuing authority confirmed it"),
        "'Check the evidence is genuine or valid', score 3: physical security features checked by a "
        "trained person and the details confirmed with the issuing source",
    ),
    _row(
        "validity",
        3,
        {"details_consistent", "chip_read"},
        _("The document's chip was read and its signature checked"),
        "'Check the evidence is genuine or valid', score 3: the cryptographic security features were "
        "checked and are valid",
    ),
    _row(
        "validity",
        4,
        {"details_consistent", "chip_read", "issuer_validation"},
        _("The chip's signature checked and the details confirmed with the issuing authority"),
        "'Check the evidence is genuine or valid', score 4: cryptographic security features checked "
        "and the details confirmed with the issuing source",
    ),
    # Verification: is the person the identity's owner? Contact codes score nothing here.
    _row(
        "verification",
        1,
        {"knowledge_1_low"},
        _("The person answered a question only they should know"),
        "'Check the claimed identity belongs to the person', score 1: knowledge-based verification with "
        "one low quality question",
    ),
    _row(
        "verification",
        2,
        {"knowledge_2_low"},
        _("The person answered two questions only they should know"),
        "'Check the claimed identity belongs to the person', score 2: knowledge-based verification with "
        "two low quality questions",
    ),
    _row(
        "verification",
        2,
        {"knowledge_1_medium"},
        _("The person answered a harder question only they should know"),
        "'Check the claimed identity belongs to the person', score 2: knowledge-based verification with "
        "a medium quality question",
    ),
    _row(
        "verification",
        2,
        {"face_match", "genuine_evidence"},
        _("An automated check matched the person's face to the photo on the document"),
        "'Check the claimed identity belongs to the person', score 2: a biometric comparison of the "
        "person with the photo on the evidence, without a liveness check",
    ),
    _row(
        "verification",
        3,
        {"knowledge_2_medium"},
        _("The person answered two harder questions only they should know"),
        "'Check the claimed identity belongs to the person', score 3: knowledge-based verification with "
        "two medium quality questions, or a high quality one",
    ),
    _row(
        "verification",
        3,
        {"face_match", "liveness", "genuine_evidence"},
        _("The person's face matched the document photo, and a live person took the photo"),
        "'Check the claimed identity belongs to the person', score 3: a biometric comparison with the "
        "photo on the evidence, with a liveness check",
    ),
    _row(
        "verification",
        3,
        {"trained_comparison", "genuine_evidence"},
        _("A registrar compared the person with the photo on the document"),
        "'Check the claimed identity belongs to the person', score 3: a physical comparison of the "
        "person with the photo on the evidence by a person trained to do it",
    ),
    _row(
        "verification",
        4,
        {"face_match", "liveness", "chip_read", "genuine_evidence"},
        _("The person's live face matched the photo held in the document's chip"),
        "'Check the claimed identity belongs to the person', score 4: a biometric comparison with the "
        "photo in the evidence's cryptographic chip, with a liveness check",
    ),
    # Identity fraud: checked against sources of known fraud.
    _row(
        "fraud",
        1,
        {"own_fraud_checks"},
        _("Checked against this service's own records: deaths registered, documents and photos used by others"),
        "'Check if the identity has been used fraudulently', score 1: checked against a reliable source "
        "(the death register of England and Wales, and evidence already given)",
    ),
    _row(
        "fraud",
        2,
        {"own_fraud_checks", "fraud_provider"},
        _("Also checked with an identity fraud service, which found nothing"),
        "'Check if the identity has been used fraudulently', score 2: checked against further sources "
        "of identity fraud information",
    ),
    # Activity: a history of the identity over time, from records that show it.
    _row(
        "activity",
        1,
        {"activity_3_months"},
        _("Records show the identity in use for at least 3 months"),
        "'Check the identity has a history of activity', score 1: at least 3 months",
    ),
    _row(
        "activity",
        2,
        {"activity_6_months"},
        _("Records show the identity in use for at least 6 months"),
        "'Check the identity has a history of activity', score 2: at least 6 months",
    ),
    _row(
        "activity",
        3,
        {"activity_12_months"},
        _("Records show the identity in use for at least 12 months"),
        "'Check the identity has a history of activity', score 3: at least 12 months",
    ),
    _row(
        "activity",
        4,
        {"activity_36_months"},
        _("Records show the identity in use for at least 36 months"),
        "'Check the identity has a history of activity', score 4: at least 36 months",
    ),
)

# A failed check of one of these sets the element to 0.
BLOCKING = {
    "validity": {"document_details_failed", "issuer_validation_failed", "document_authenticity_failed"},
    "verification": {"face_match_failed", "trained_comparison_failed", "liveness_failed"},
    "fraud": {"fraud_signal"},
    "activity": set(),
}

# Strength belongs to the kind of evidence (GPG 45 'Get evidence of the claimed identity': a UK
# passport is strength 4, a UK photocard driving licence 3; a bank or building society
# statement 2, a utility or council tax bill 1).
DOCUMENT_STRENGTH = {DocumentType.PASSPORT: 4, DocumentType.DRIVING_LICENCE: 3}
ADDRESS_STRENGTH = {
    AddressDocumentType.BANK_STATEMENT: 2,
    AddressDocumentType.UTILITY_BILL: 1,
    AddressDocumentType.COUNCIL_TAX: 1,
}

ACTIVITY_MONTHS = (3, 6, 12, 36)
# GPG 45 compares the person with "the strongest piece of genuine evidence": a photo on a
# document only checked for consistency (validity 1) is not shown to be genuine.
GENUINE_VALIDITY = 2


@dataclass(frozen=True)
class Earned:
    scores: Scores
    rows: tuple[Row, ...]  # the rows that gave each element its score
    sandbox: bool  # a sandbox checker's answer counted
    reasons: tuple[str, ...]  # reason codes of failed or unavailable checks


# A registrar who compared the person live with their document settles what an automated check
# failed to: a face matcher's false non-match, or a selfie a liveness check doubted. Their own
# failed comparison still blocks.
SETTLED_BY = {"trained_comparison": {"face_match_failed", "liveness_failed"}}


def score_for(element: str, facts: set[str]) -> tuple[int, Row | None]:
    """An element's score and the row that gave it (None for 0)."""
    blocking = facts & BLOCKING[element]
    for settling, settled in SETTLED_BY.items():
        if settling in facts:
            blocking -= settled
    if blocking:
        return 0, None
    best: Row | None = None
    for row in TABLE:
        if row.element == element and row.needs <= facts and (best is None or row.score > best.score):
            best = row
    return (best.score if best else 0), best


def current_checks(case: IdentityCase) -> list[EvidenceCheck]:
    return list(case.checks.filter(superseded_at__isnull=True))


def facts_for(
    case: IdentityCase, *, checks: list[EvidenceCheck], document_failed: bool, own_fraud_signals: list[str]
) -> tuple[set[str], bool, list[str]]:
    """The facts the table reads, whether a sandbox's answer supplied any, and the reason codes
    of checks that failed or could not be done."""
    facts: set[str] = set()
    reasons: list[str] = []
    sandbox = False
    images = {image.kind: image for image in case.images.filter(deleted_at__isnull=True)}
    if case.document_type in DOCUMENT_STRENGTH:
        if document_failed:
            facts.add("document_details_failed")
        else:
            facts.add("details_consistent")
        photo = images.get(EvidenceImage.Kind.IDENTITY_DOCUMENT)
        if photo is not None and not photo.quality_reasons:
            facts.add("document_photo")
    facts.add("own_fraud_checks")
    if own_fraud_signals:
        facts.add("fraud_signal")
    by_kind: dict[str, list[EvidenceCheck]] = {}
    for check in checks:
        by_kind.setdefault(check.kind, []).append(check)
    for kind, results in by_kind.items():
        outcomes = {result.outcome for result in results}
        for result in results:
            reasons.extend(code for code in result.reasons if code not in reasons)
        if Outcome.FAILED in outcomes:
            facts.add(f"{kind}_failed")
            if kind == Kind.FRAUD:
                facts.add("fraud_signal")
            sandbox = sandbox or any(r.sandbox for r in results if r.outcome == Outcome.FAILED)
            continue
        passed = [result for result in results if result.outcome == Outcome.PASSED]
        if not passed:
            if f"{kind}_unavailable" not in reasons:
                reasons.append(f"{kind}_unavailable")
            continue
        sandbox = sandbox or any(result.sandbox for result in passed)
        if kind == Kind.FRAUD:
            facts.add("fraud_provider")
        elif kind == Kind.ACTIVITY:
            months = max(int(result.details.get("months") or 0) for result in passed)
            facts.update(f"activity_{bound}_months" for bound in ACTIVITY_MONTHS if months >= bound)
        elif kind == Kind.KNOWLEDGE:
            facts.update(_knowledge_facts(passed))
        elif kind == Kind.TRAINED_COMPARISON:
            facts.add("trained_comparison")
            if any(result.details.get("document_inspected") for result in passed):
                facts.add("trained_inspection")
        else:
            facts.add(kind)
    return facts, sandbox, reasons


def _knowledge_facts(passed: list[EvidenceCheck]) -> set[str]:
    correct = {"low": 0, "medium": 0, "high": 0}
    for result in passed:
        for quality in correct:
            correct[quality] = max(correct[quality], int((result.details.get("correct") or {}).get(quality) or 0))
    facts = set()
    # A harder question counts for an easier one: high >= medium >= low.
    medium_or_better = correct["medium"] + correct["high"]
    any_quality = medium_or_better + correct["low"]
    if any_quality >= 1:
        facts.add("knowledge_1_low")
    if any_quality >= 2:
        facts.add("knowledge_2_low")
    if medium_or_better >= 1:
        facts.add("knowledge_1_medium")
    if medium_or_better >= 2 or correct["high"] >= 1:
        facts.add("knowledge_2_medium")
    return facts


def earned(case: IdentityCase, *, document_failed: bool, address_failed: bool, own_fraud_signals: list[str]) -> Earned:
    """Every element's score for `case`, with the rows behind them."""
    facts, sandbox, reasons = facts_for(
        case, checks=current_checks(case), document_failed=document_failed, own_fraud_signals=own_fraud_signals
    )
    rows = []
    scores = {}
    for element in ("validity", "verification", "fraud", "activity"):
        scores[element], row = score_for(element, facts)
        if row is not None:
            rows.append(row)
        if element == "validity" and scores[element] >= GENUINE_VALIDITY:
            # A person is compared with the photo on evidence shown to be genuine, or not at all.
            facts.add("genuine_evidence")
    evidence = []
    if case.document_type in DOCUMENT_STRENGTH:
        evidence.append(Evidence(DOCUMENT_STRENGTH[case.document_type], scores["validity"], case.document_type))
    if case.address_document_type:
        # Proof of address is only ever checked for consistency here (its date, postcode and name),
        # so it earns validity 1 at most: no issuer confirms it.
        photo = case.images.filter(kind=EvidenceImage.Kind.ADDRESS_DOCUMENT, deleted_at__isnull=True).first()
        validity = 0 if address_failed or photo is None else 1
        evidence.append(Evidence(ADDRESS_STRENGTH.get(case.address_document_type, 1), validity, "address"))
    return Earned(
        scores=Scores(
            evidence=tuple(evidence),
            activity=scores["activity"],
            fraud=scores["fraud"],
            verification=scores["verification"],
        ),
        rows=tuple(rows),
        sandbox=sandbox,
        reasons=tuple(reasons),
    )


def rows_behind(scores: dict) -> list[Row]:
    """The table rows a saved case's scores came from (IdentityCase.scores["rows"])."""
    return [TABLE[index] for index in scores.get("rows", []) if isinstance(index, int) and 0 <= index < len(TABLE)]


# Reason codes given here rather than by a checker (identity/verifiers/reasons.py has theirs).
CHECK_REASONS = {
    "face_not_found_selfie": _("No face could be found in the photo of the person"),
    "face_not_found_document": _("No face could be found in the photo of the document"),
    "several_faces": _("More than one face is in the photo"),
    "checker_failed": _("A checker failed inside this service"),
    "reassessed_below_medium": _("Scored again under the current rules, it no longer reaches medium confidence"),
    # Our own fraud signals (cases.fraud_signals) and the register's, words for staff only.
    "fraud_document_reused": _("The same document number is on another person's identity check"),
    "fraud_image_reused": _("The same photo of the document was sent on another person's identity check"),
    "fraud_edited_image": _("A photo was saved by image editing software"),
    "fraud_death_registered": _("A death is registered for a person with these details"),
}
UNAVAILABLE_SUFFIX = "_unavailable"


def reason_words(code: str) -> str:
    """A reason code in words: the offline checks' messages, the checkers' reasons, or for a check
    that could not be done, which one."""
    if code in REASONS:
        return str(REASONS[code])
    if code in CHECKER_REASONS:
        return str(CHECKER_REASONS[code])
    if code in CHECK_REASONS:
        return str(CHECK_REASONS[code])
    if code.endswith(UNAVAILABLE_SUFFIX) and code[: -len(UNAVAILABLE_SUFFIX)] in Kind.values:
        label = Kind(code[: -len(UNAVAILABLE_SUFFIX)]).label
        return str(_("Could not be done: %(check)s")) % {"check": label}
    if code.endswith("_failed") and code[: -len("_failed")] in Kind.values:
        return str(_("Failed: %(check)s")) % {"check": Kind(code[: -len("_failed")]).label}
    return ""
