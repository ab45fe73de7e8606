"""Running the configured checkers (identity/verifiers) on a case's evidence and recording what
each answered as `EvidenceCheck` rows, which the scoring table reads. A checker that fails in
any way is recorded as "could not be done": that scores nothing and the case goes to a
registrar, so a provider's outage never passes anyone and never loses what they gave."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from . import verifiers
from .models import DocumentType, EvidenceCheck, EvidenceImage, IdentityCase
from .verifiers import CheckResult, DocumentFacts, PersonFacts

logger = logging.getLogger(__name__)

Kind = EvidenceCheck.Kind

ISSUER_ROLE = {DocumentType.PASSPORT: "passport", DocumentType.DRIVING_LICENCE: "driving_licence"}


def document_facts(case: IdentityCase) -> DocumentFacts:
    return DocumentFacts(
        document_type=case.document_type,
        number=case.document_number,
        given_names=case.given_names,
        surname=case.surname,
        birth_date=case.birth_date,
        expiry_date=case.document_expiry,
        mrz_line1=case.mrz_line1,
        mrz_line2=case.mrz_line2,
    )


def person_facts(case: IdentityCase) -> PersonFacts:
    return PersonFacts(
        given_names=case.given_names,
        surname=case.surname,
        birth_date=case.birth_date,
        address=case.address,
        postcode=case.postcode,
    )


def _image_bytes(case: IdentityCase, kind: str) -> bytes | None:
    image = case.images.filter(kind=kind, deleted_at__isnull=True).order_by("-uploaded_at").first()
    if image is None or not image.file:
        return None
    with image.file.open("rb") as handle:
        return handle.read()


def _unavailable(kind: str, checker, code: str) -> CheckResult:
    return CheckResult(
        kind=kind,
        outcome=EvidenceCheck.Outcome.UNAVAILABLE,
        provider=str(getattr(checker, "name", type(checker).__name__)),
        sandbox=bool(getattr(checker, "sandbox", False)),
        reasons=(code,),
    )


def _ask(kind: str, checker, call) -> list[CheckResult]:
    """Call one checker. Its own failures come back as UNAVAILABLE results; anything it raises
    is a fault in the adapter, logged by type only (the message may hold personal data)."""
    try:
        answer = call()
    except Exception as error:  # noqa: BLE001 - any adapter fault must leave the case intact
        logger.warning("Identity checker %s failed: %s", type(checker).__name__, type(error).__name__)
        return [_unavailable(kind, checker, "checker_failed")]
    return [answer] if isinstance(answer, CheckResult) else list(answer)


def _results_for(case: IdentityCase) -> list[CheckResult]:
    results: list[CheckResult] = []
    document = document_facts(case)
    person = person_facts(case)
    has_document = case.document_type in ISSUER_ROLE
    document_image = _image_bytes(case, EvidenceImage.Kind.IDENTITY_DOCUMENT) if has_document else None
    selfie = _image_bytes(case, EvidenceImage.Kind.SELFIE) if has_document else None
    platform = verifiers.configured("document_platform")
    if platform is not None and document_image is not None:
        results += _ask(
            Kind.DOCUMENT_AUTHENTICITY,
            platform,
            lambda: platform.check_document(document=document, document_image=document_image, selfie=selfie),
        )
    matcher = verifiers.configured("face_matcher")
    if matcher is not None and document_image is not None and selfie is not None:
        results += _ask(Kind.FACE_MATCH, matcher, lambda: matcher.compare(selfie=selfie, document_image=document_image))
    issuer = verifiers.configured(ISSUER_ROLE[case.document_type]) if has_document else None
    if issuer is not None:
        results += _ask(Kind.ISSUER_VALIDATION, issuer, lambda: issuer.validate(document=document, person=person))
    fraud = verifiers.configured("fraud")
    if fraud is not None and case.surname and case.birth_date:
        results += _ask(Kind.FRAUD, fraud, lambda: fraud.check(person=person))
    return results


def record(case: IdentityCase, results: list[CheckResult], *, performed_by=None) -> list[EvidenceCheck]:
    """Save checkers' answers; an answer of a kind replaces the earlier one from the same checker."""
    now = timezone.now()
    saved = []
    with transaction.atomic():
        for result in results:
            case.checks.filter(kind=result.kind, provider=result.provider, superseded_at__isnull=True).update(
                superseded_at=now
            )
            saved.append(
                EvidenceCheck.objects.create(
                    case=case,
                    kind=result.kind,
                    outcome=result.outcome,
                    provider=result.provider[:100],
                    sandbox=result.sandbox,
                    details=result.details,
                    reasons=list(result.reasons),
                    performed_by=performed_by,
                    performed_at=now,
                )
            )
    return saved


def run_checks(*, case: IdentityCase) -> list[EvidenceCheck]:
    """Ask every configured checker about the case's evidence as it is now and record the
    answers. Called before the case is scored, outside the case's row lock: a provider may take
    seconds to answer, and nobody else should wait on that."""
    return record(case, _results_for(case))


def evidence_changed(*, case: IdentityCase) -> int:
    """The person changed their evidence: every check made of it stops counting. Returns how
    many checks were set aside."""
    return case.checks.filter(superseded_at__isnull=True).update(superseded_at=timezone.now())
