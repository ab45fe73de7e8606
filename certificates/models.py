"""Certificates: orders for certified copies of register entries, their payments (and the
sandbox payment provider's own record), and the certificates issued — one signed PDF per copy,
each with its own serial number, which anyone can verify."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.models import User
from registrar.models import RegisterEntry, Registration


class CertificateKind(models.TextChoices):
    FULL_BIRTH = "full_birth", _("Full birth certificate")
    SHORT_BIRTH = "short_birth", _("Short birth certificate")
    DEATH = "death", _("Death certificate")
    MARRIAGE = "marriage", _("Marriage certificate")
    CIVIL_PARTNERSHIP = "civil_partnership", _("Civil partnership certificate")
    # Copies of a still-birth entry: issued only to the parents and the register office.
    STILLBIRTH = "stillbirth", _("Certified copy of an entry of still-birth")


# Which certificates can be made from an entry of each event.
KINDS_FOR_EVENT = {
    "birth": [CertificateKind.FULL_BIRTH, CertificateKind.SHORT_BIRTH],
    "death": [CertificateKind.DEATH],
    "marriage": [CertificateKind.MARRIAGE],
    "civil_partnership": [CertificateKind.CIVIL_PARTNERSHIP],
    "stillbirth": [CertificateKind.STILLBIRTH],
}


class CertificateOrder(models.Model):
    """One person's order for copies of one entry. A draft until they pay; then paid, then
    issued when every copy's PDF is ready. A draft whose birth details did not match the entry
    too many times is locked: it can no longer be changed or paid for."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet paid")
        LOCKED = "locked", _("Stopped: the details did not match the entry")
        PAID = "paid", _("Paid: certificates being made")
        ISSUED = "issued", _("Issued")
        # Issuing failed CERTIFICATE_ISSUE_MAX_ATTEMPTS times: no longer swept; staff retry it.
        ISSUE_FAILED = "issue_failed", _("Paid: there is a problem making the certificates")

    # The person may still change the order and pay for it.
    OPEN = frozenset({Status.DRAFT})
    # Never paid for: the person's list leaves these out unless a payment was tried.
    UNPAID = frozenset({Status.DRAFT, Status.LOCKED})
    # Paid for: its copies are being made or have been.
    PAID_FOR = frozenset({Status.PAID, Status.ISSUED, Status.ISSUE_FAILED})
    # Every change of status: name -> (from, to). `services.transition` applies one as a
    # compare-and-swap; what the person may do with an order is read from here.
    TRANSITIONS = {
        "lock": (OPEN, Status.LOCKED),
        "pay": (OPEN, Status.PAID),
        "issue": (frozenset({Status.PAID}), Status.ISSUED),
        "give_up_issuing": (frozenset({Status.PAID}), Status.ISSUE_FAILED),
        "retry_issuing": (frozenset({Status.ISSUE_FAILED}), Status.PAID),
    }

    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="certificate_orders")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="certificate_orders")
    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    copies = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Births in the last 50 years: the details the applicant gave, once they matched the entry.
    details_confirmed_at = models.DateTimeField(null=True, blank=True)
    details_attempts = models.PositiveSmallIntegerField(default=0)
    applicant_name = models.CharField(max_length=200, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_address = models.TextField(blank=True)
    applicant_postcode = models.CharField(max_length=10, blank=True)
    fee_pence_each = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # Tries at issuing, each counted (and committed) before its work starts, so a try that
    # kills its worker counts too; the sweeper waits longer after each.
    issue_attempts = models.PositiveSmallIntegerField(default=0)
    last_issue_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant_email"], name="certificate_order_email"),
            models.Index(fields=["created_at"], name="certificate_order_started"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1) & Q(copies__lte=10), name="order_copies_1_to_10"),
        ]
        permissions = [
            ("view_orders", "Can find certificate orders to help people on the phone"),
            ("revoke_certificate", "Can revoke a certificate"),
            ("reissue_certificate", "Can reissue a certificate"),
        ]

    def __str__(self) -> str:
        return f"Certificate order {self.reference} ({self.get_status_display()})"

    def allows(self, transition: str) -> bool:
        return self.status in self.TRANSITIONS[transition][0]

    @property
    def needs_attention(self) -> bool:
        """Issuing it, or rendering one of its copies, has stopped until staff retry it."""
        if self.status == self.Status.ISSUE_FAILED:
            return True
        return self.status == self.Status.ISSUED and self.certificates.filter(render_failed_at__isnull=False).exists()

    @property
    def is_open(self) -> bool:
        """The person may still change the order and pay for it."""
        return self.allows("pay")

    @property
    def amount_pence(self) -> int:
        return self.fee_pence_each * self.copies

    @property
    def amount_pounds(self) -> str:
        return f"£{self.amount_pence / 100:,.2f}"

    @property
    def fee_pounds_each(self) -> str:
        return f"£{self.fee_pence_each / 100:,.2f}"


class Payment(models.Model):
    """One attempt to pay for an order through the payment provider. The provider's answer to
    a query is the only thing that moves it to success: a return URL is never trusted."""

    class Status(models.TextChoices):
        CREATED = "created", _("Started")
        SUCCESS = "success", _("Paid")
        FAILED = "failed", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        ERROR = "error", _("Failed")

    order = models.ForeignKey(CertificateOrder, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)
    provider_payment_id = models.CharField(max_length=100, blank=True)
    amount_pence = models.PositiveIntegerField()
    # A secret in the return URL: the return is matched to this payment, then checked with the provider.
    return_token = models.CharField(max_length=64, unique=True)
    next_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CREATED)
    provider_status = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One order is paid once: a second successful payment cannot be recorded.
            models.UniqueConstraint(fields=["order"], condition=Q(status="success"), name="one_successful_payment"),
            # ...and at most one payment is in progress at a time, so a double click starts one.
            models.UniqueConstraint(fields=["order"], condition=Q(status="created"), name="one_open_payment"),
        ]

    def __str__(self) -> str:
        return f"Payment {self.provider_payment_id or self.pk} for {self.order.reference} ({self.status})"


class SandboxPayment(models.Model):
    """The sandbox payment provider's own record of a payment (its side of the API, as
    GOV.UK Pay would keep it), used when PAYMENT_PROVIDER=sandbox."""

    class Status(models.TextChoices):
        CREATED = "created", "created"
        SUCCESS = "success", "success"
        FAILED = "failed", "failed"
        CANCELLED = "cancelled", "cancelled"

    payment_id = models.CharField(max_length=40, unique=True)
    amount_pence = models.PositiveIntegerField()
    reference = models.CharField(max_length=255)
    description = models.CharField(max_length=255)
    return_url = models.URLField(max_length=500)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CREATED)
    card_last_digits = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Sandbox payment {self.payment_id} ({self.status})"

    @property
    def amount_pounds(self) -> str:
        return f"£{self.amount_pence / 100:,.2f}"


class Certificate(models.Model):
    """One issued copy: a signed PDF with its own serial number. Revoked by a registrar with a
    reason; superseded when the entry is corrected after issue or the copy is reissued."""

    serial = models.CharField(max_length=24, unique=True)
    order = models.ForeignKey(CertificateOrder, on_delete=models.PROTECT, related_name="certificates")
    # Copies 1..n of an order; reissues carry on after the last copy.
    copy_number = models.PositiveSmallIntegerField()
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    bilingual = models.BooleanField(default=False, help_text="Welsh and English (entries in Wales).")
    issued_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # How many corrections the entry had when this copy was made: later ones supersede it.
    corrections_at_issue = models.PositiveIntegerField(default=0)
    reissue_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissued_as"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A reissued copy's tries at rendering, counted like the order's; after
    # CERTIFICATE_ISSUE_MAX_ATTEMPTS it is set aside (render_failed_at) until staff retry it.
    render_attempts = models.PositiveSmallIntegerField(default=0)
    last_render_attempt_at = models.DateTimeField(null=True, blank=True)
    render_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "copy_number"]
        constraints = [
            # A retried issuing task finds the copy already there instead of numbering it again.
            models.UniqueConstraint(fields=["order", "copy_number"], name="one_certificate_per_copy"),
        ]

    def __str__(self) -> str:
        return f"Certificate {self.serial}"

    @property
    def is_ready(self) -> bool:
        return bool(self.pdf_sha256)


class RegistrationDocument(models.Model):
    """A document a registrar issues at registration — the certificate for burial or cremation
    after a death or a still-birth, the certificate of registration of a still-birth — as the
    signed PDF first made, kept so that the document a burial authority or crematorium checks is
    byte for byte the one issued. Checked at /verify/ like a certificate, by serial or file."""

    class Kind(models.TextChoices):
        BURIAL_OR_CREMATION = "burial_or_cremation", _("Certificate for burial or cremation")
        STILLBIRTH_BURIAL_OR_CREMATION = (
            "stillbirth_burial_or_cremation",
            _("Certificate for burial or cremation after a still-birth"),
        )
        STILLBIRTH_REGISTRATION = "stillbirth_registration", _("Certificate of registration of still-birth")

    serial = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="documents")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="registration_documents")
    issued_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to="registration-documents/")
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            # Made once: a second download, or two at once, gets the first document.
            models.UniqueConstraint(fields=["registration", "kind"], name="one_registration_document_of_a_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class Verification(models.Model):
    """One check at /verify/ or through the API, counted for the office dashboard: how the
    document was checked, which kind it turned out to be, what the check said, on which day and
    for which registration district. Nothing about who checked or from where."""

    class How(models.TextChoices):
        SERIAL = "serial", _("By serial number")
        PDF = "pdf", _("By uploading the PDF")

    class Kind(models.TextChoices):
        CERTIFIED_COPY = "certified_copy", _("Certified copy")
        INTERIM = "interim", _("Interim certificate of the fact of death")
        REGISTRATION_DOCUMENT = "registration_document", _("Certificate for burial or cremation, or of a still-birth")
        NOT_FOUND = "not_found", _("No document of ours")

    class Outcome(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("No longer current")
        TAMPERED = "tampered", _("Changed since it was issued")
        NOT_OURS = "not_ours", _("Not signed by this service")
        UNKNOWN = "unknown", _("No document with that serial number")

    checked_on = models.DateField()
    how = models.CharField(max_length=10, choices=How.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    district = models.ForeignKey(
        "identity.RegisterOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["checked_on", "district"], name="verification_by_day")]

    def __str__(self) -> str:
        return f"Verification {self.checked_on} {self.kind} {self.outcome}"
