"""Demo data for `make run`: a medical certificate of stillbirth from Leeds General Infirmary,
sent three days ago, whose reference a person trying the service can give on the stillbirth
journey (any mother's names other than Emma Louise Hartley send the registration to a
registrar, as a mismatch does). Idempotent: found again by its reference."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from core.places import registration_district_for
from identity.models import RegisterOffice

from ..models import StillbirthCertificate

DEMO_REFERENCE = "MCS-DEMO-0001"


def load_demo_stillbirth_certificate() -> bool:
    """True when the certificate was made now."""
    if StillbirthCertificate.objects.filter(reference=DEMO_REFERENCE).exists():
        return False
    district = registration_district_for("LS1 3EX") or RegisterOffice.objects.filter(code="E-LEEDS").first()
    StillbirthCertificate.objects.create(
        reference=DEMO_REFERENCE,
        mother_given_names="Emma Louise",
        mother_surname="Hartley",
        delivered_on=timezone.localdate() - timedelta(days=3),
        delivered_at=time(4, 35),
        place_of_delivery="Leeds General Infirmary, Great George Street, Leeds LS1 3EX",
        district=district,
        sex=StillbirthCertificate.Sex.FEMALE,
        weeks_of_pregnancy=31,
        weight_grams=1420,
        cause="Placental abruption",
        certifier=StillbirthCertificate.Certifier.MIDWIFE,
        certifier_name="Grace Okafor",
        certifier_registration_number="12A3456E",
    )
    return True
