"""A registrar's live comparison of a person with their identity document, by video call or in
person: what they saw is recorded as a `trained_comparison` EvidenceCheck, which the scoring table
reads as GPG 45 scores a trained person's comparison (verification), and the case is then scored
again, so that it is verified when its scores now reach medium confidence."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .audit import record_audit
from .cases import reassess_case
from .models import EvidenceCheck, IdentityCase, User
from .notifications import send_message, written_for
from .refusals import ComparisonRefused
from .selectors import identity_cases_for, works_identity_cases

METHODS = ("video", "in_person")


@written_for
def identity_confirmed_by_comparison_message(recipient: User, case: IdentityCase) -> tuple[str, str]:
    return _("Your identity check"), _(
        "A registrar has compared you with your document and confirmed your identity. Your reference is %(reference)s."
    ) % {"reference": case.reference}


def appointment_offices(case: IdentityCase) -> set[int]:
    """Offices where the case's person has an identity appointment booked, from the providers in
    IDENTITY_COMPARISON_OFFICES (booking's, so that identity does not import booking)."""
    offices: set[int] = set()
    for path in settings.IDENTITY_COMPARISON_OFFICES:
        offices.update(import_string(path)(case))
    return offices


def comparison_refusal(*, case: IdentityCase, user: User) -> str | None:
    """Why `user` may not record a comparison on `case`, or None. They must work identity cases, for
    the case's office (identity_cases_for) or for an office where the person has an identity
    appointment booked (a video call or a visit to any office), and never on their own case."""
    if not works_identity_cases(user):
        return "not_allowed"
    if not identity_cases_for(user=user).filter(pk=case.pk).exists() and not (
        user.offices.filter(pk__in=appointment_offices(case)).exists()
    ):
        return "other_office"
    if case.person_id == user.pk:
        return "own_case"
    return None


def comparisons_of(case: IdentityCase):
    """The comparisons recorded on the case, newest first (earlier ones superseded)."""
    return (
        EvidenceCheck.objects.filter(case=case, kind=EvidenceCheck.Kind.TRAINED_COMPARISON)
        .select_related("performed_by")
        .order_by("-performed_at", "-id")
    )


def record_trained_comparison(
    *,
    case: IdentityCase,
    actor: User,
    method: str,
    face_matches: bool,
    details_match: bool,
    document_inspected: bool,
    observations: str,
    client_address: str | None = None,
) -> EvidenceCheck:
    """Record what a registrar saw when they compared the person with their document. Passed only
    when the face matches the document's photo and the document's details match those given;
    `observations` are required when anything does not match or was not checked. An earlier
    comparison on the case is superseded by this one. Audited; the case is then re-assessed, and
    the person is told when that confirms their identity."""
    observations = (observations or "").strip()
    refusal = comparison_refusal(case=case, user=actor)
    if refusal:
        raise ComparisonRefused(refusal)
    if method not in METHODS:
        raise ComparisonRefused("unknown_method")
    if not (face_matches and details_match and document_inspected) and not observations:
        raise ComparisonRefused("observations_required")
    if len(observations) > settings.IDENTITY_COMPARISON_NOTE_MAX_CHARACTERS:
        raise ComparisonRefused("observations_too_long")
    passed = bool(face_matches and details_match)
    reasons = [
        code
        for code, fine in (
            ("comparison_face_mismatch", face_matches),
            ("comparison_details_mismatch", details_match),
            ("comparison_document_not_inspected", document_inspected),
        )
        if not fine
    ]
    with transaction.atomic():
        case = IdentityCase.objects.select_for_update().select_related("person").get(pk=case.pk)
        if case.status not in IdentityCase.OPEN_STATUSES:
            raise ComparisonRefused("case_decided")
        now = timezone.now()
        comparisons_of(case).filter(superseded_at__isnull=True).update(superseded_at=now)
        check = EvidenceCheck.objects.create(
            case=case,
            kind=EvidenceCheck.Kind.TRAINED_COMPARISON,
            outcome=EvidenceCheck.Outcome.PASSED if passed else EvidenceCheck.Outcome.FAILED,
            provider=f"Registrar {actor.get_full_name()}",
            sandbox=False,
            details={
                "method": method,
                "face_matches": bool(face_matches),
                "details_match": bool(details_match),
                "document_inspected": bool(document_inspected),
                "observations": observations,
            },
            reasons=reasons,
            performed_by=actor,
            performed_at=now,
        )
        record_audit(
            actor=actor,
            action="identity_case.trained_comparison",
            subject=case.person,
            object_type="identity_case",
            object_id=case.reference,
            detail={
                "check": check.pk,
                "method": method,
                "outcome": check.outcome,
                "face_matches": bool(face_matches),
                "details_match": bool(details_match),
                "document_inspected": bool(document_inspected),
            },
            client_address=client_address,
        )
        was = case.status
        case = reassess_case(case=case)
        if was != case.status and case.status == IdentityCase.Status.VERIFIED:
            subject, body = identity_confirmed_by_comparison_message(case.person, case)
            send_message(
                key=f"identity-comparison:{check.pk}",
                channel="email",
                to=case.person.email,
                subject=subject,
                body=body,
            )
    return check
