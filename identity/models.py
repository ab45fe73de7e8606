"""People and the platform every other app stands on: accounts (citizens and staff), the
register offices staff belong to, one-time codes, authenticator apps, API tokens, the
hash-chained audit log and the outbound message outbox.

The audit log, the outbox and register offices live here, in the lowest layer, so that
`booking` and `registrar` can both use them while dependencies keep pointing one way."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class RegisterOffice(models.Model):
    """A local register office: where staff work, where notice is given, a ceremony venue."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    welsh_name = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=60)
    address = models.CharField(max_length=300)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def in_wales(self) -> bool:
        return self.region == "Wales"


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. Citizens use one-time codes; staff use a password and an
    authenticator app, and belong to one or more register offices."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    mobile_number = models.CharField(_("mobile number"), max_length=20, blank=True)
    mobile_verified_at = models.DateTimeField(null=True, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Staff sign in with password and authenticator app.")
    is_active = models.BooleanField(default=True)
    offices = models.ManyToManyField(RegisterOffice, blank=True, related_name="staff")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_unique_ci"),
        ]
        permissions = [
            ("work_cases", "Can work the exception queue"),
            ("view_person_data", "Can view a person's data and evidence"),
            ("conduct_ceremonies", "Can conduct ceremonies as superintendent registrar"),
            ("assist_citizens", "Can help citizens by phone in an assisted session"),
            ("supervise_support", "Can see the phone-support supervisor report"),
            ("manage_staff", "Can manage staff and offices"),
            ("view_audit_log", "Can read the audit log"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def mobile_verified(self) -> bool:
        return bool(self.mobile_number and self.mobile_verified_at)


class CodePurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("sign in")
    VERIFY_MOBILE = "verify_mobile", _("verify mobile number")


class CodeChannel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("text message")


class OneTimeCode(models.Model):
    """A 6-digit code sent to an email address or mobile number. Only a keyed hash of the
    code is stored. A code is live until it is consumed, killed or expires."""

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    channel = models.CharField(max_length=10, choices=CodeChannel.choices)
    destination = models.CharField(max_length=254, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    wrong_attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    killed_at = models.DateTimeField(null=True, blank=True)
    requested_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["destination", "purpose", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(wrong_attempts__lte=5), name="otp_wrong_attempts_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.destination} ({self.created_at:%Y-%m-%d %H:%M})"


class CodeFailure(models.Model):
    """One wrong or refused code entry. Counted per destination and per client address, across
    codes, so asking for a new code never resets the count."""

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    destination = models.CharField(max_length=254)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["destination", "purpose", "at"]),
            models.Index(fields=["client_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"Failed code for {self.destination} at {self.at:%Y-%m-%d %H:%M}"


class PasswordFailure(models.Model):
    """A failed staff password or authenticator entry, for throttling."""

    email = models.CharField(max_length=254)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["email", "at"]), models.Index(fields=["client_address", "at"])]

    def __str__(self) -> str:
        return f"Failed staff sign-in for {self.email} at {self.at:%Y-%m-%d %H:%M}"


class StaffAuthenticator(models.Model):
    """A staff member's authenticator app (TOTP). `last_used_step` stops a code being
    accepted twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="authenticator")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Authenticator app of {self.user}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token of {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"


class AuditEntry(models.Model):
    """One line of the append-only audit log. Each entry carries the keyed hash of the one
    before, so editing, deleting or reordering entries is detected by `manage.py verify_audit`;
    on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE (migration 0008)."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True)
    on_behalf_of = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Whose data it was."
    )
    reason = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # Which AUDIT_CHAIN_KEYS secret keyed entry_hash; "" for the unkeyed SHA-256 entries written
    # before the chain was keyed, accepted only up to the point the first checkpoint sealed.
    key_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_email or 'system'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries cannot be deleted.")


class AuditCheckpoint(models.Model):
    """A signed checkpoint of the audit log's head, written to the audit_checkpoints storage
    where the database cannot rewrite it. This row only says where it is: `verify_audit`
    trusts the storage copy and its signature, never this table."""

    sequence = models.PositiveBigIntegerField(unique=True)
    entry_hash = models.CharField(max_length=64)
    entry_count = models.PositiveBigIntegerField()
    written_at = models.DateTimeField()
    storage_name = models.CharField(max_length=200, unique=True)
    signing_key_id = models.CharField(max_length=40)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"checkpoint at #{self.sequence} ({self.storage_name})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit checkpoints cannot be deleted.")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboundMessage(models.Model):
    """An email or text message. Created in the caller's transaction; a Celery task sends it.
    `key` makes sending idempotent: the same key is never sent twice."""

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=CodeChannel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.key} ({self.status})"


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


# --- Assisted digital (phone support) ---------------------------------------------------------------


class ConsentCode(models.Model):
    """A short code a person reads out to phone support to let them act on their case. Shown on
    the person's account page (or sent by text on request); single use; only a keyed hash is kept."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consent_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    wrong_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    killed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"Consent code for {self.person} ({self.created_at:%Y-%m-%d %H:%M})"


class ConsentFailure(models.Model):
    """A wrong consent code entered by a staff member, counted per staff member and per person."""

    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["staff", "at"]), models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"Wrong consent code by {self.staff} for {self.person} at {self.at:%Y-%m-%d %H:%M}"


class AssistedSession(models.Model):
    """Phone support acting for one person, with that person's consent, for a limited time.
    Everything done in it is audited as "done by staff on behalf of person"."""

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assisted_sessions")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assisted_sessions_for")
    consent = models.OneToOneField(ConsentCode, on_delete=models.PROTECT, related_name="session")
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(staff=models.F("person")), name="assisted_session_not_for_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} helping {self.person} from {self.opened_at:%Y-%m-%d %H:%M}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.expires_at > now


class SupportNote(models.Model):
    """What phone support recorded about a call, optionally raised to a registrar to look at.
    Written without an assisted session, so it holds only what the caller said."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="support_notes")
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    for_registrar = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["for_registrar", "handled_at", "created_at"])]

    def __str__(self) -> str:
        return f"Support note on {self.person} by {self.staff} ({self.created_at:%Y-%m-%d %H:%M})"


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
