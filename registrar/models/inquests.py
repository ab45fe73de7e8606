"""Deaths after an inquest: `CoronerCertificate`, a coroner's certificate after inquest (from which
the registrar registers the death without an informant) or interim certificate of the fact of
death (while the inquest is open), as the coroner sent it through the API."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.status import StatusMachine
from identity.models import RegisterOffice, User

from .registrations import MedicalCertificate, RegisterEntry, Registration

SUBMIT_CORONER_CERTIFICATES = "registrar.submit_coroner_certificates"


class CoronerCertificate(StatusMachine, models.Model):
    """What a coroner certifies about one death: the deceased's particulars, the cause of death as
    found and the inquest's conclusion (after inquest), the coroner and their area, and the
    district of the place of death. Linked to the MCCD and the family's registration the coroner
    had blocked, when there was one. An interim certificate carries its own signed document
    (serial, PDF) for the family; a certificate after inquest gets its register entry."""

    class Kind(models.TextChoices):
        AFTER_INQUEST = "after_inquest", _("Certificate after inquest")
        INTERIM = "interim_fact_of_death", _("Interim certificate of the fact of death")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be registered")
        REGISTERED = "registered", _("Registered")
        # An interim certificate is never registered: the death is, later, from the one after inquest.
        INTERIM = "interim", _("Interim certificate issued")

    # Applied only through `move()`; name -> (from, to).
    TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
        "register": (frozenset({Status.WAITING}), Status.REGISTERED),
    }

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNKNOWN = "unknown", _("Not known")

    reference = models.CharField(max_length=40, unique=True, help_text="The coroner's own reference.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    deceased_given_names = models.CharField(max_length=200)
    deceased_surname = models.CharField(max_length=200)
    deceased_maiden_surname = models.CharField(max_length=200, blank=True)
    deceased_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    date_of_death = models.DateField()
    place_of_death = models.CharField(max_length=300)
    district = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="+")
    occupation = models.CharField(max_length=200, blank=True)
    usual_address = models.CharField(max_length=400, blank=True)
    # After inquest: as the inquest found it. Interim: empty, or what is known so far.
    cause_of_death = models.TextField(blank=True)
    conclusion = models.TextField(blank=True, help_text="The inquest's conclusion, e.g. 'Accident'.")
    coroner_name = models.CharField(max_length=200)
    coroner_area = models.CharField(max_length=200)
    # After inquest: the day the inquest was held (concluded). Interim: the day it was opened.
    inquest_date = models.DateField()
    family_name = models.CharField(max_length=200, blank=True, help_text="Next of kin or contact the coroner gave.")
    family_email = models.EmailField(blank=True)
    medical_certificate = models.ForeignKey(
        MedicalCertificate, null=True, blank=True, on_delete=models.PROTECT, related_name="coroner_certificates"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="coroner_certificates"
    )
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="coroner_certificate"
    )
    registered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(null=True, blank=True)
    # The interim certificate's own document, made the first time the family opens it.
    serial = models.CharField(max_length=24, null=True, blank=True, unique=True)
    pdf = models.FileField(upload_to="interim-certificates/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["status", "district", "received_at"], name="coroner_certificate_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="after_inquest", status__in=["waiting", "registered"])
                | Q(kind="interim_fact_of_death", status="interim", entry__isnull=True),
                name="coroner_certificate_status_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", entry__isnull=False) | ~Q(status="registered"),
                name="registered_coroner_certificate_has_entry",
            ),
        ]
        permissions = [
            ("submit_coroner_certificates", "Can send certificates after inquest and interim certificates (coroners)"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def is_interim(self) -> bool:
        return self.kind == self.Kind.INTERIM

    @property
    def deceased_name(self) -> str:
        return f"{self.deceased_given_names} {self.deceased_surname}".strip()
