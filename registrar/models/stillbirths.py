"""Medical certificates of stillbirth as doctors and midwives send them through the API. A
parent registers the stillbirth by giving the certificate's reference; the registration is
matched to it as a death is matched to its medical certificate of cause of death."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.models import RegisterOffice, User

__all__ = ["StillbirthCertificate"]


class StillbirthCertificate(models.Model):
    """A medical certificate of stillbirth: a child born dead after STILLBIRTH_MINIMUM_WEEKS
    weeks of pregnancy (REGISTRATION-RULES.md "Stillbirths"), certified by a doctor or a
    midwife who was present at the delivery or examined the body."""

    class Certifier(models.TextChoices):
        DOCTOR = "doctor", _("Doctor")
        MIDWIFE = "midwife", _("Midwife")

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        INDETERMINATE = "indeterminate", _("Indeterminate")

    reference = models.CharField(max_length=40, unique=True)
    mother_given_names = models.CharField(max_length=200)
    mother_surname = models.CharField(max_length=200)
    mother_date_of_birth = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(help_text="Date of delivery.")
    delivered_at = models.TimeField(null=True, blank=True, help_text="Time of delivery, when known.")
    place_of_delivery = models.CharField(max_length=300)
    district = models.ForeignKey(RegisterOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=15, choices=Sex.choices)
    weeks_of_pregnancy = models.PositiveSmallIntegerField()
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    cause = models.TextField(help_text="Cause of death, or the reason a cause cannot be given.")
    certifier = models.CharField(max_length=10, choices=Certifier.choices)
    certifier_name = models.CharField(max_length=200)
    # GMC number of a doctor, NMC PIN of a midwife.
    certifier_registration_number = models.CharField(max_length=20)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        permissions = [
            ("submit_stillbirth_certificates", "Can send medical certificates of stillbirth (hospitals, midwives)"),
        ]
        constraints = [
            # The legal minimum itself is a setting checked on intake; this only refuses nonsense.
            models.CheckConstraint(
                condition=Q(weeks_of_pregnancy__gte=1, weeks_of_pregnancy__lte=45), name="stillbirth_weeks_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"Medical certificate of stillbirth {self.reference}"
