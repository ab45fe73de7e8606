"""The staged identity check: the case, its cleaned evidence images, the checks' results, the
registrar's decisions and knowledge-based verification attempts."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import RegisterOffice, User

# --- Identity checks ----------------------------------------------------------------------------------


def evidence_upload_path(instance, filename: str) -> str:
    # Random names only: nothing the person sent (name, extension) reaches the file system.
    return f"evidence/{uuid.uuid4().hex}.jpg"


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("UK passport")
    DRIVING_LICENCE = "driving_licence", _("UK photocard driving licence")
    OTHER = "other", _("Another document")


class AddressDocumentType(models.TextChoices):
    BANK_STATEMENT = "bank_statement", _("Bank or building society statement")
    UTILITY_BILL = "utility_bill", _("Gas, electricity, water or landline bill")
    COUNCIL_TAX = "council_tax", _("Council tax bill")


class IdentityCase(models.Model):
    """One person's staged identity check: the details and evidence they gave, the checks'
    reason codes, the element scores and the confidence reached."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        VERIFIED = "verified", _("Verified at medium confidence")
        WITH_REGISTRAR = "with_registrar", _("With a registrar")
        MORE_EVIDENCE = "more_evidence", _("More evidence needed")
        REJECTED = "rejected", _("Not verified")

    # A case under way: at most one per person (the constraint below lists the same statuses).
    OPEN_STATUSES = frozenset({Status.IN_PROGRESS, Status.WITH_REGISTRAR, Status.MORE_EVIDENCE})
    # The person may change their evidence and submit it.
    EDITABLE_STATUSES = frozenset({Status.IN_PROGRESS, Status.MORE_EVIDENCE})
    # Waiting for a registrar's decision.
    REGISTRAR_STATUSES = frozenset({Status.WITH_REGISTRAR})
    # Finished: the evidence photos are deleted EVIDENCE_RETENTION_DAYS after the decision.
    DECIDED_STATUSES = frozenset({Status.VERIFIED, Status.REJECTED})

    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="identity_cases")
    office = models.ForeignKey(
        RegisterOffice, null=True, blank=True, on_delete=models.SET_NULL, help_text="The office whose queue it is in."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    document_type = models.CharField(max_length=20, choices=DocumentType.choices, blank=True)
    given_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    document_number = models.CharField(max_length=20, blank=True)
    document_expiry = models.DateField(null=True, blank=True)
    mrz_line1 = models.CharField(max_length=44, blank=True)
    mrz_line2 = models.CharField(max_length=44, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address_document_type = models.CharField(max_length=20, choices=AddressDocumentType.choices, blank=True)
    address_document_postcode = models.CharField(max_length=10, blank=True)
    address_document_name = models.CharField(max_length=200, blank=True)
    address_document_issued_on = models.DateField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True, help_text="Reason codes from the checks.")
    scores = models.JSONField(default=dict, blank=True)
    profile = models.CharField(max_length=10, blank=True, help_text="Profile met, or the closest one.")
    missing = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="identity_case_started"),
            models.Index(fields=["submitted_at"], name="identity_case_submitted"),
        ]
        constraints = [
            # One open case per person, whatever a double-submitted form tries.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["in_progress", "with_registrar", "more_evidence"]),
                name="one_open_identity_case_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Identity check {self.reference} ({self.get_status_display()})"


class EvidenceImage(models.Model):
    """A cleaned photo of a document: rebuilt from pixels, stored under a random name outside
    the web root, with the signals and perceptual hash taken before the original was dropped."""

    class Kind(models.TextChoices):
        IDENTITY_DOCUMENT = "identity_document", _("Identity document")
        ADDRESS_DOCUMENT = "address_document", _("Proof of address")
        # Used only to compare the person with their document photo (see the privacy notice).
        SELFIE = "selfie", _("Photo of your face")

    case = models.ForeignKey(IdentityCase, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=evidence_upload_path, max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    perceptual_hash = models.CharField(max_length=16, db_index=True)
    signals = models.JSONField(default=dict, blank=True)
    quality_reasons = models.JSONField(default=list, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case.reference}"


class EvidenceCheck(models.Model):
    """One check of a case's evidence and what it found: by a checker behind an adapter
    (identity/verifiers), by the offline face matcher, or by a registrar comparing the person
    with their document. The scores are worked out from these rows (identity/scoring.py), so a
    score is only ever one that a recorded check earned. A sandbox checker's rows say so."""

    class Kind(models.TextChoices):
        DOCUMENT_AUTHENTICITY = "document_authenticity", _("Security features of the document checked")
        CHIP_READ = "chip_read", _("Document chip read and its signature checked")
        ISSUER_VALIDATION = "issuer_validation", _("Details confirmed with the issuing authority")
        FACE_MATCH = "face_match", _("Face compared with the document photo")
        LIVENESS = "liveness", _("Checked that a live person took the photo")
        KNOWLEDGE = "knowledge", _("Questions only the person should be able to answer")
        FRAUD = "fraud", _("Identity fraud checks")
        ACTIVITY = "activity", _("History of the identity over time")
        TRAINED_COMPARISON = "trained_comparison", _("Person compared with the document by a registrar")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        # The checker could not answer (not reachable, refused the request, answered nonsense).
        UNAVAILABLE = "unavailable", _("Could not be done")

    case = models.ForeignKey(IdentityCase, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    provider = models.CharField(max_length=100, help_text="Who did the check, in words.")
    sandbox = models.BooleanField(default=False, help_text="Done by a sandbox checker: not a real check.")
    details = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True, help_text="Reason codes the check gave.")
    performed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(default=timezone.now)
    # A check stops counting when the evidence it looked at changes.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["performed_at", "id"]
        indexes = [models.Index(fields=["case", "kind", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case.reference}: {self.get_outcome_display()}"


class CaseDecision(models.Model):
    """A registrar's decision on an identity case, kept after the evidence images are deleted."""

    class Outcome(models.TextChoices):
        ACCEPT = "accept", _("Accept at medium confidence")
        REJECT = "reject", _("Reject")
        MORE_EVIDENCE = "more_evidence", _("Ask for more evidence")

    case = models.ForeignKey(IdentityCase, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.case.reference}"


# --- Knowledge-based verification --------------------------------------------------------------------


class KnowledgeAttempt(models.Model):
    """One set of questions a knowledge-based verification provider asked the person about
    their history. The provider's session id stays here, on the server: the person's pages and
    the API find the questions through the person's own case, so no id travels in a URL or a form
    that could be swapped for someone else's. An attempt is answered once (`answered_at`, set by
    a compare-and-swap), not after `expires_at`, and not once the details it asked about have
    changed; the questions, which hold facts about the person, are forgotten once answered or
    expired."""

    case = models.ForeignKey(IdentityCase, on_delete=models.CASCADE, related_name="knowledge_attempts")
    provider = models.CharField(max_length=100, help_text="The provider that asked, in words.")
    sandbox = models.BooleanField(default=False, help_text="Asked by a sandbox: not a real check.")
    session_id = models.CharField(max_length=120)
    # The person's details the questions were asked about (a digest): answers count only for them.
    details_digest = models.CharField(max_length=64)
    questions = models.JSONField(default=list, blank=True, help_text="[{id, text, choices}] until answered.")
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    result = models.ForeignKey(
        EvidenceCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="What it scored."
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["case", "started_at"])]
        constraints = [
            # A provider's session is asked, and so answered, through one attempt only.
            models.UniqueConstraint(fields=["provider", "session_id"], name="one_attempt_per_knowledge_session"),
        ]

    def __str__(self) -> str:
        return f"Questions for {self.case.reference} from {self.started_at:%Y-%m-%d %H:%M}"
