"""Writes for staged identity checks: start a case, record the identity document and the proof
of address with their photos, then score the evidence and either accept it at medium confidence
or hand the case to a registrar with its reason codes (IDENTITY-RULES.md)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.places import normalise_postcode, registration_district_for
from core.references import new_reference

from . import checks
from .confidence import Evidence, Scores, assess
from .models import AddressDocumentType, DocumentType, EvidenceImage, IdentityCase, User
from .notifications import send_message
from .uploads import clean_image, hash_distance

# Person-facing messages for the fraud signals stay neutral: they must not coach a fraudster.
FRAUD_REASONS = ("fraud_document_reused", "fraud_image_reused", "fraud_edited_image")
DOCUMENT_REASONS = {reason for reason in checks.REASONS if reason.startswith(("mrz_", "licence_"))} | {
    "document_expired",
    "birth_date_implausible",
}
ADDRESS_REASONS = {reason for reason in checks.REASONS if reason.startswith(("address_", "postcode_"))}
# Bank statements are stronger proof of address than bills (strength 2 against 1).
ADDRESS_STRENGTH = {
    AddressDocumentType.BANK_STATEMENT: 2,
    AddressDocumentType.UTILITY_BILL: 1,
    AddressDocumentType.COUNCIL_TAX: 1,
}
DOCUMENT_STRENGTH = {DocumentType.PASSPORT: 4, DocumentType.DRIVING_LICENCE: 3}


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
    expiry_date: date,
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
    return result.reasons


def attach_image(*, case: IdentityCase, kind: str, upload) -> EvidenceImage:
    """Clean the upload (raises uploads.UploadRejected) and store only the rebuilt image.
    A new photo of the same kind replaces the old one, whose file is deleted."""
    cleaned = clean_image(upload)
    with transaction.atomic():
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
        image.file.save("evidence.jpg", ContentFile(cleaned.content), save=False)
        image.save()
    return image


def _delete_image_file(image: EvidenceImage) -> None:
    if image.file:
        image.file.delete(save=False)
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


def score_case(case: IdentityCase) -> tuple[Scores, list[str]]:
    """Element scores from the checks (see IDENTITY-RULES.md). Validity 2 needs the details to
    pass every check and a readable photo; details alone give 1."""
    reasons = [reason for reason in case.reasons if not reason.startswith("fraud_")]
    images = {image.kind: image for image in case.images.filter(deleted_at__isnull=True)}
    evidence = []
    if case.document_type in DOCUMENT_STRENGTH:
        photo = images.get(EvidenceImage.Kind.IDENTITY_DOCUMENT)
        failed = any(reason in DOCUMENT_REASONS for reason in reasons)
        validity = 0 if failed else (2 if photo and not photo.quality_reasons else 1)
        evidence.append(Evidence(DOCUMENT_STRENGTH[case.document_type], validity, case.document_type))
    address_passed = False
    if case.address_document_type:
        photo = images.get(EvidenceImage.Kind.ADDRESS_DOCUMENT)
        failed = any(reason in ADDRESS_REASONS for reason in reasons)
        address_passed = not failed and photo is not None
        validity = 0 if failed else (2 if photo and not photo.quality_reasons else 1)
        evidence.append(Evidence(ADDRESS_STRENGTH.get(case.address_document_type, 1), validity, "address"))
    signals = fraud_signals(case)
    person = case.person
    verification = (1 if person.email_verified_at else 0) + (1 if person.mobile_verified else 0)
    scores = Scores(
        evidence=tuple(evidence),
        activity=1 if address_passed else 0,
        fraud=0 if signals else 2,
        verification=verification,
    )
    return scores, reasons + signals


def submit_case(*, case: IdentityCase) -> IdentityCase:
    """Score the evidence. Medium passes at once; anything else goes to a registrar with its
    reasons and what is missing — never a silent rejection."""
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().get(pk=case.pk)
        if case.status not in (IdentityCase.Status.IN_PROGRESS, IdentityCase.Status.MORE_EVIDENCE):
            return case
        scores, reasons = score_case(case)
        assessment = assess(scores)
        now = timezone.now()
        case.reasons = reasons
        case.scores = {
            "evidence": [asdict(piece) for piece in scores.evidence],
            "activity": scores.activity,
            "fraud": scores.fraud,
            "verification": scores.verification,
        }
        case.profile = assessment.profile or ""
        case.missing = [
            {"element": s.element, "have": s.have, "need": s.need, "advice": s.advice} for s in assessment.missing
        ]
        case.submitted_at = now
        case.office = registration_district_for(case.postcode)
        if assessment.medium:
            case.status = IdentityCase.Status.VERIFIED
            case.decided_at = now
        else:
            case.status = IdentityCase.Status.WITH_REGISTRAR
        case.save()
        send_message(
            key=f"identity-result:{case.pk}:{case.status}:{now.timestamp()}",
            channel="email",
            to=case.person.email,
            subject=_("Your identity check"),
            body=(
                _("We have confirmed your identity. Your reference is %(reference)s.")
                if assessment.medium
                else _("A registrar will review your identity check and contact you. Your reference is %(reference)s.")
            )
            % {"reference": case.reference},
        )
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
    return case


class DecisionRefused(Exception):
    """A registrar may not make this decision (own case, case not with a registrar)."""


def decide_case(*, case: IdentityCase, actor: User, outcome: str, reason: str, client_address: str | None = None):
    """A registrar accepts, rejects or asks for more evidence. Audited; the person is told.
    Nobody decides their own case."""
    from .audit import record_audit
    from .models import CaseDecision

    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused("reason_required")
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().select_related("person").get(pk=case.pk)
        if case.person_id == actor.pk:
            raise DecisionRefused("own_case")
        if case.status != IdentityCase.Status.WITH_REGISTRAR:
            raise DecisionRefused("not_with_registrar")
        now = timezone.now()
        decision = CaseDecision.objects.create(case=case, outcome=outcome, reason=reason, decided_by=actor)
        status = {
            CaseDecision.Outcome.ACCEPT: IdentityCase.Status.VERIFIED,
            CaseDecision.Outcome.REJECT: IdentityCase.Status.REJECTED,
            CaseDecision.Outcome.MORE_EVIDENCE: IdentityCase.Status.MORE_EVIDENCE,
        }[outcome]
        case.status = status
        if status != IdentityCase.Status.MORE_EVIDENCE:
            case.decided_at = now
        case.save(update_fields=["status", "decided_at"])
        record_audit(
            actor=actor,
            action=f"identity_case.{outcome}",
            subject=case.person,
            object_type="identity_case",
            object_id=case.reference,
            reason=reason,
            client_address=client_address,
        )
        messages = {
            CaseDecision.Outcome.ACCEPT: _("A registrar has confirmed your identity. Your reference is %(reference)s."),
            CaseDecision.Outcome.REJECT: _(
                "A registrar could not confirm your identity (reference %(reference)s): %(reason)s. "
                "Call the helpline on 0300 123 4567 to find out what to do next."
            ),
            CaseDecision.Outcome.MORE_EVIDENCE: _(
                "A registrar needs more evidence to confirm your identity (reference %(reference)s): %(reason)s. "
                "Sign in to add it."
            ),
        }
        send_message(
            key=f"identity-decision:{decision.pk}",
            channel="email",
            to=case.person.email,
            subject=_("Your identity check"),
            body=messages[outcome] % {"reference": case.reference, "reason": reason},
        )
    return case


def delete_expired_evidence(*, now=None) -> int:
    """Photos are deleted EVIDENCE_RETENTION_DAYS after the decision; the decision, scores and
    reasons stay. Returns how many were deleted."""
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVIDENCE_RETENTION_DAYS)
    expired = EvidenceImage.objects.filter(
        deleted_at__isnull=True,
        case__decided_at__lte=cutoff,
        case__status__in=[IdentityCase.Status.VERIFIED, IdentityCase.Status.REJECTED],
    )
    count = 0
    for image in expired.iterator():
        with transaction.atomic():
            _delete_image_file(image)
        count += 1
    return count
