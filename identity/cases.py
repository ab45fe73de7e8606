"""Writes for staged identity checks: start a case, record the identity document and the proof
of address with their photos, then score the evidence and either accept it at medium confidence
or hand the case to a registrar with its reason codes (IDENTITY-RULES.md); the registrar's
decision. Every change of a case's status is a transition of `TRANSITIONS`, applied once."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.places import normalise_postcode, registration_district_for
from core.references import new_reference
from core.storage import atomic_with_files, delete_file_on_commit, save_file

from . import checks, scoring, verification
from .audit import record_audit
from .confidence import VERIFICATION_ADVICE_AFTER_SELFIE, assess
from .models import CaseDecision, DocumentType, EvidenceCheck, EvidenceImage, IdentityCase, User
from .notifications import send_message, written_for
from .refusals import CheckRefused, DecisionRefused
from .selectors import identity_cases_for, works_identity_cases
from .uploads import CleanImage, clean_image, hash_distance

Status = IdentityCase.Status

# Every status change of an identity case: name -> (statuses it may start from, status it ends in).
# The person's submission ends in "verify" or "refer"; a registrar's decisions are named after
# the CaseDecision outcomes.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "verify": (IdentityCase.EDITABLE_STATUSES, Status.VERIFIED),
    "refer": (IdentityCase.EDITABLE_STATUSES, Status.WITH_REGISTRAR),
    CaseDecision.Outcome.ACCEPT: (IdentityCase.REGISTRAR_STATUSES, Status.VERIFIED),
    CaseDecision.Outcome.REJECT: (IdentityCase.REGISTRAR_STATUSES, Status.REJECTED),
    CaseDecision.Outcome.MORE_EVIDENCE: (IdentityCase.REGISTRAR_STATUSES, Status.MORE_EVIDENCE),
    # A new check (a registrar's live comparison, a re-assessment under the scoring table) moves a
    # submitted case to where its scores now put it.
    "reassess_verify": (IdentityCase.REGISTRAR_STATUSES, Status.VERIFIED),
    "reassess_refer": (frozenset({Status.VERIFIED}), Status.WITH_REGISTRAR),
}
DECISIONS = tuple(CaseDecision.Outcome.values)


def _apply(case: IdentityCase, transition: str, **fields) -> bool:
    """Move the case along `transition` as a compare-and-swap: only from one of the statuses the
    transition starts from, so of two racing changes exactly one wins. False when it had moved on."""
    starts_from, ends_in = TRANSITIONS[transition]
    moved = IdentityCase.objects.filter(pk=case.pk, status__in=starts_from).update(status=ends_in, **fields)
    if moved:
        case.status = ends_in
        for name, value in fields.items():
            setattr(case, name, value)
    return bool(moved)


def can_change(case: IdentityCase | None) -> bool:
    """The person may still change their evidence and submit it."""
    return case is not None and case.status in TRANSITIONS["verify"][0]


# Person-facing messages for the fraud signals stay neutral: they must not coach a fraudster.
# The service's promise to a person whose check went to a registrar: an answer within this many
# working days, shown on the status page of a check a registrar has.
REGISTRAR_REVIEW_WORKING_DAYS = 5
FRAUD_REASONS = ("fraud_document_reused", "fraud_image_reused", "fraud_edited_image")
DOCUMENT_REASONS = {reason for reason in checks.REASONS if reason.startswith(("mrz_", "licence_"))} | {
    "document_expired",
    "birth_date_implausible",
}
ADDRESS_REASONS = {reason for reason in checks.REASONS if reason.startswith(("address_", "postcode_"))}


def open_case(*, person: User) -> IdentityCase:
    """The person's open case, or a new one. Two parallel requests still make only one: the
    partial unique constraint decides, and the loser reads the winner's case."""
    case = IdentityCase.objects.filter(person=person, status__in=IdentityCase.OPEN_STATUSES).first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            return IdentityCase.objects.create(person=person, reference=new_reference("ID"))
    except IntegrityError:
        return IdentityCase.objects.get(person=person, status__in=IdentityCase.OPEN_STATUSES)


def editable_case(*, person: User) -> IdentityCase:
    """The person's case to add evidence to (a new one if they have none open). Raises
    CheckRefused while a registrar has it."""
    case = open_case(person=person)
    if not can_change(case):
        raise CheckRefused("case_with_registrar")
    return case


def _replace_reasons(case: IdentityCase, family: set[str], found: list[str]) -> None:
    case.reasons = [reason for reason in case.reasons if reason not in family] + found


def record_identity_document(
    *,
    case: IdentityCase,
    document_type: str,
    given_names: str,
    surname: str,
    birth_date: date,
    document_number: str,
    expiry_date: date | None,
    mrz_line1: str = "",
    mrz_line2: str = "",
    today: date | None = None,
) -> list[str]:
    """Save the typed details and run the offline checks; returns the reason codes found."""
    today = today or timezone.localdate()
    result = checks.check_document_dates(birth_date=birth_date, expiry_date=expiry_date, today=today)
    if document_type == DocumentType.PASSPORT:
        mrz, mrz_result = checks.parse_td3(mrz_line1, mrz_line2)
        for reason in mrz_result.reasons:
            result.fail(reason)
        if mrz is not None and mrz_result.passed:
            compared = checks.compare_with_mrz(
                mrz,
                document_number=document_number,
                birth_date=birth_date,
                expiry_date=expiry_date,
                surname=surname,
                given_names=given_names,
            )
            for reason in compared.reasons:
                result.fail(reason)
    elif document_type == DocumentType.DRIVING_LICENCE:
        for reason in checks.check_licence_number(
            document_number, surname=surname, given_names=given_names, birth_date=birth_date
        ).reasons:
            result.fail(reason)
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().get(pk=case.pk)
        case.document_type = document_type
        case.given_names, case.surname, case.birth_date = given_names.strip(), surname.strip(), birth_date
        case.document_number = document_number.replace(" ", "").upper()
        case.document_expiry = expiry_date
        case.mrz_line1 = checks.normalise_mrz_line(mrz_line1)[:44]
        case.mrz_line2 = checks.normalise_mrz_line(mrz_line2)[:44]
        _replace_reasons(case, DOCUMENT_REASONS, result.reasons)
        case.save()
        verification.evidence_changed(case=case)
    return result.reasons


def record_proof_of_address(
    *,
    case: IdentityCase,
    address: str,
    postcode: str,
    document_type: str,
    document_postcode: str,
    document_name: str,
    issued_on: date,
    today: date | None = None,
) -> list[str]:
    today = today or timezone.localdate()
    with transaction.atomic():
        # Re-read under the lock: the name to compare with may have been saved since.
        case = IdentityCase.objects.select_for_update().get(pk=case.pk)
        result = checks.check_proof_of_address(
            issued_on=issued_on,
            document_postcode=document_postcode,
            declared_postcode=postcode,
            document_name=document_name,
            identity_name=f"{case.given_names} {case.surname}".strip(),
            today=today,
        )
        case.address = address.strip()
        case.postcode = normalise_postcode(postcode) or postcode.strip().upper()
        case.address_document_type = document_type
        case.address_document_postcode = normalise_postcode(document_postcode) or document_postcode.strip().upper()
        case.address_document_name = document_name.strip()
        case.address_document_issued_on = issued_on
        _replace_reasons(case, ADDRESS_REASONS, result.reasons)
        case.save()
        verification.evidence_changed(case=case)
    return result.reasons


def attach_image(*, case: IdentityCase, kind: str, upload=None, cleaned: CleanImage | None = None) -> EvidenceImage:
    """Clean the upload (raises UploadRejected), unless the caller already has, and store only
    the rebuilt image. A new photo of the same kind replaces the old one, whose file is deleted."""
    cleaned = cleaned or clean_image(upload)
    with atomic_with_files():
        for old in case.images.filter(kind=kind, deleted_at__isnull=True):
            _delete_image_file(old)
        image = EvidenceImage(
            case=case,
            kind=kind,
            width=cleaned.width,
            height=cleaned.height,
            perceptual_hash=cleaned.perceptual_hash,
            signals=cleaned.signals,
            quality_reasons=list(cleaned.quality_reasons),
        )
        save_file(image.file, "evidence.jpg", ContentFile(cleaned.content))
        image.save()
        verification.evidence_changed(case=case)
    return image


def _delete_image_file(image: EvidenceImage) -> None:
    # The file goes once the change commits: a rollback keeps both the row and its file.
    delete_file_on_commit(image.file)
    image.file = ""
    image.deleted_at = timezone.now()
    image.save(update_fields=["file", "deleted_at"])


# Two photos of the same document differ by a few bits of the 64-bit difference hash; 10 is the
# usual near-duplicate bound for dHash. A match only sends the case to a registrar, never rejects.
SAME_IMAGE_MAX_DISTANCE = 10


def _image_reused_elsewhere(case: IdentityCase, hashes: list[str]) -> bool:
    others = EvidenceImage.objects.exclude(case__person=case.person).filter(kind=EvidenceImage.Kind.IDENTITY_DOCUMENT)
    if connection.vendor == "postgresql":
        # Hamming distance in the database, so the check scales with the index of images.
        table = EvidenceImage._meta.db_table
        sql = (
            f"SELECT 1 FROM {table} AS image "  # noqa: S608 - table name from the model, values bound
            "JOIN identity_identitycase AS owner ON owner.id = image.case_id "
            "WHERE owner.person_id <> %s AND image.kind = %s AND "
            "bit_count(('x' || image.perceptual_hash)::bit(64) # ('x' || %s)::bit(64)) <= %s LIMIT 1"
        )
        with connection.cursor() as cursor:
            for value in hashes:
                cursor.execute(
                    sql, [case.person_id, EvidenceImage.Kind.IDENTITY_DOCUMENT, value, SAME_IMAGE_MAX_DISTANCE]
                )
                if cursor.fetchone():
                    return True
        return False
    seen = others.values_list("perceptual_hash", flat=True).iterator()
    return any(hash_distance(mine, theirs) <= SAME_IMAGE_MAX_DISTANCE for theirs in seen for mine in hashes)


def fraud_signals(case: IdentityCase) -> list[str]:
    """Our own known-bad signals: the same document number or (nearly) the same document photo
    used by another person, a photo tagged by editing software, and whatever the signal
    providers in IDENTITY_FRAUD_SIGNAL_PROVIDERS report (registrar adds "a death is already
    registered for this identity" there, so identity never imports registrar)."""
    signals = []
    others = IdentityCase.objects.exclude(person=case.person)
    if (
        case.document_number
        and others.filter(document_number=case.document_number, document_type=case.document_type).exists()
    ):
        signals.append("fraud_document_reused")
    images = list(case.images.filter(deleted_at__isnull=True))
    hashes = [image.perceptual_hash for image in images if image.kind == EvidenceImage.Kind.IDENTITY_DOCUMENT]
    if hashes and _image_reused_elsewhere(case, hashes):
        signals.append("fraud_image_reused")
    if any(image.signals.get("edited") for image in images):
        signals.append("fraud_edited_image")
    for path in settings.IDENTITY_FRAUD_SIGNAL_PROVIDERS:
        signals.extend(code for code in import_string(path)(case) if code not in signals)
    return signals


def score_case(case: IdentityCase) -> tuple[scoring.Earned, list[str]]:
    """The scores the case has earned (identity/scoring.py) and every reason code: the offline
    checks', the fraud signals', and those of checks that failed or could not be done."""
    reasons = [reason for reason in case.reasons if not reason.startswith("fraud_")]
    signals = fraud_signals(case)
    earned = scoring.earned(
        case,
        document_failed=any(reason in DOCUMENT_REASONS for reason in reasons),
        address_failed=any(reason in ADDRESS_REASONS for reason in reasons),
        own_fraud_signals=signals,
    )
    checked = [reason for reason in earned.reasons if reason not in reasons and reason not in signals]
    return earned, reasons + signals + checked


def _advice(case: IdentityCase, shortfall) -> str:
    """What would lift the element, for this person: no point asking again for a selfie they gave."""
    if shortfall.element == "verification" and case.images.filter(kind=EvidenceImage.Kind.SELFIE).exists():
        return str(VERIFICATION_ADVICE_AFTER_SELFIE)
    return shortfall.advice


def _assessed(case: IdentityCase) -> tuple[bool, dict]:
    """Score the case's evidence and checks now: whether it is medium, and the fields to save."""
    earned, reasons = score_case(case)
    scores = earned.scores
    assessment = assess(scores)
    return assessment.medium, {
        "reasons": reasons,
        "scores": {
            "evidence": [asdict(piece) for piece in scores.evidence],
            "activity": scores.activity,
            "fraud": scores.fraud,
            "verification": scores.verification,
            # Whether a sandbox checker's answer counted: such a score is not a real one.
            "sandbox": earned.sandbox,
            # Which rows of scoring.TABLE gave the scores, so pages can say why in either language.
            "rows": [scoring.TABLE.index(row) for row in earned.rows],
        },
        "profile": assessment.profile or "",
        "missing": [
            {"element": s.element, "name": s.name, "have": s.have, "need": s.need, "advice": _advice(case, s)}
            for s in assessment.missing
        ],
    }


def submit_case(*, case: IdentityCase) -> IdentityCase:
    """Score the evidence. Medium passes at once; anything else goes to a registrar with its
    reasons and what is missing — never a silent rejection. A case already submitted is returned
    as it is."""
    if can_change(case):
        verification.run_checks(case=case)
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().get(pk=case.pk)
        if not can_change(case):
            return case
        medium, fields = _assessed(case)
        now = timezone.now()
        moved = _apply(
            case,
            "verify" if medium else "refer",
            **fields,
            submitted_at=now,
            office=registration_district_for(case.postcode),
            decided_at=now if medium else None,
        )
        if not moved:
            return IdentityCase.objects.get(pk=case.pk)
        _tell(
            case,
            now,
            _lazy("We have confirmed your identity. Your reference is %(reference)s.")
            if medium
            else _lazy("A registrar will review your identity check and contact you. Your reference is %(reference)s."),
        )
    return case


@written_for
def identity_check_message(recipient: User, case: IdentityCase, body: Promise, reason: str = "") -> tuple[str, str]:
    return _("Your identity check"), str(body) % {"reference": case.reference, "reason": reason}


def _tell(case: IdentityCase, now, body: Promise) -> None:
    """`body` (lazy text) is written in the person's language, whoever's request or task sends it."""
    subject, text = identity_check_message(case.person, case, body)
    send_message(
        key=f"identity-result:{case.pk}:{case.status}:{now.timestamp()}",
        channel="email",
        to=case.person.email,
        subject=subject,
        body=text,
    )


def reassess_case(*, case: IdentityCase, reason: str = "") -> IdentityCase:
    """Score a submitted case again after a new check (a registrar's live comparison) or a change
    to the scoring table. A case with a registrar that now reaches medium is verified; a verified
    case that no longer does goes to a registrar with `reason` among its reason codes. Cases the
    person can still change, and decided cases that stay where they are, only get fresh scores."""
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().get(pk=case.pk)
        if can_change(case) or case.status == Status.REJECTED:
            return case
        medium, fields = _assessed(case)
        now = timezone.now()
        if medium and case.status in TRANSITIONS["reassess_verify"][0]:
            _apply(case, "reassess_verify", **fields, decided_at=now)
            _tell(case, now, _lazy("We have confirmed your identity. Your reference is %(reference)s."))
        elif not medium and case.status in TRANSITIONS["reassess_refer"][0]:
            if reason and reason not in fields["reasons"]:
                fields["reasons"] = [*fields["reasons"], reason]
            _apply(case, "reassess_refer", **fields, decided_at=None, office=registration_district_for(case.postcode))
            _tell(
                case,
                now,
                _lazy(
                    "We need to check your identity again (reference %(reference)s). Sign in to see what would "
                    "help; a registrar will also contact you."
                ),
            )
        else:
            IdentityCase.objects.filter(pk=case.pk).update(**fields)
            for name, value in fields.items():
                setattr(case, name, value)
    return case


def choose_document_type(*, case: IdentityCase, document_type: str) -> IdentityCase:
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().get(pk=case.pk)
        if case.document_type != document_type:
            # Details typed for another kind of document no longer apply.
            case.document_type = document_type
            case.document_number, case.mrz_line1, case.mrz_line2 = "", "", ""
            _replace_reasons(case, DOCUMENT_REASONS, [])
            case.save()
            verification.evidence_changed(case=case)
    return case


def _decision_refusal(case: IdentityCase, actor: User) -> str | None:
    """Why `actor` may not decide `case` at all, or None: they do not work identity cases, the
    case is another office's, or it is about them."""
    if not works_identity_cases(actor):
        return "not_allowed"
    if not identity_cases_for(user=actor).filter(pk=case.pk).exists():
        return "other_office"
    if case.person_id == actor.pk:
        return "own_case"
    return None


def _compared_in_person_or_by_video(case: IdentityCase) -> bool:
    """A registrar has compared the person with their document, and they matched. Accepting a
    case below medium is then a registrar's judgement on the rest (a fraud signal explained, say),
    never a claim that someone was matched to an identity nobody compared them with."""
    return case.checks.filter(
        kind=EvidenceCheck.Kind.TRAINED_COMPARISON,
        outcome=EvidenceCheck.Outcome.PASSED,
        superseded_at__isnull=True,
    ).exists()


def decisions_open_to(*, case: IdentityCase, user: User) -> list[str]:
    """The decisions `user` may make on `case` now (none once it is decided)."""
    if _decision_refusal(case, user):
        return []
    return [
        outcome
        for outcome in DECISIONS
        if case.status in TRANSITIONS[outcome][0]
        and (outcome != CaseDecision.Outcome.ACCEPT or _compared_in_person_or_by_video(case))
    ]


DECISION_MESSAGES = {
    CaseDecision.Outcome.ACCEPT: _lazy("A registrar has confirmed your identity. Your reference is %(reference)s."),
    CaseDecision.Outcome.REJECT: _lazy(
        "A registrar could not confirm your identity (reference %(reference)s): %(reason)s. "
        "Call the helpline on 0300 123 4567 to find out what to do next."
    ),
    CaseDecision.Outcome.MORE_EVIDENCE: _lazy(
        "A registrar needs more evidence to confirm your identity (reference %(reference)s): %(reason)s. "
        "Sign in to add it."
    ),
}


def decide_case(
    *, case: IdentityCase, actor: User, outcome: str, reason: str, client_address: str | None = None
) -> IdentityCase:
    """A registrar of the case's office accepts, rejects or asks for more evidence. Audited; the
    person is told. Raises DecisionRefused for anyone else, for their own case, or for a case
    already decided."""
    reason = (reason or "").strip()
    refusal = _decision_refusal(case, actor)
    if refusal:
        raise DecisionRefused(refusal)
    if outcome not in DECISIONS:
        raise DecisionRefused("unknown_decision")
    if not reason:
        raise DecisionRefused("reason_required")
    with transaction.atomic():
        case = IdentityCase.objects.select_related("person").get(pk=case.pk)
        if (
            outcome == CaseDecision.Outcome.ACCEPT
            and case.status in TRANSITIONS[outcome][0]
            and not _compared_in_person_or_by_video(case)
        ):
            raise DecisionRefused("compare_first")
        now = timezone.now()
        # Asking for more evidence reopens the journey, so the case is not decided yet.
        decided_at = case.decided_at if outcome == CaseDecision.Outcome.MORE_EVIDENCE else now
        if not _apply(case, outcome, decided_at=decided_at):
            raise DecisionRefused("already_decided")
        decision = CaseDecision.objects.create(case=case, outcome=outcome, reason=reason, decided_by=actor)
        record_audit(
            actor=actor,
            action=f"identity_case.{outcome}",
            subject=case.person,
            object_type="identity_case",
            object_id=case.reference,
            reason=reason,
            client_address=client_address,
        )
        subject, body = identity_check_message(case.person, case, DECISION_MESSAGES[outcome], reason)
        send_message(
            key=f"identity-decision:{decision.pk}",
            channel="email",
            to=case.person.email,
            subject=subject,
            body=body,
        )
    return case


def delete_expired_evidence(*, now=None) -> int:
    """Photos are deleted EVIDENCE_RETENTION_DAYS after the decision; the decision, scores and
    reasons stay. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVIDENCE_RETENTION_DAYS)
    expired = EvidenceImage.objects.filter(
        deleted_at__isnull=True,
        case__decided_at__lte=cutoff,
        case__status__in=IdentityCase.DECIDED_STATUSES,
    )
    count = 0
    for image in expired.iterator():
        with transaction.atomic():
            _delete_image_file(image)
        count += 1
    return count
