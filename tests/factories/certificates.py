"""Certificate orders and their PDFs."""

from __future__ import annotations

from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate, CertificateOrder
from tests.factories.identity import UserFactory


def paid_certificate_order(entry, *, kind="full_birth", copies=1, person=None) -> CertificateOrder:
    """An order for `entry` with the applicant robin@example.com, marked paid (as a confirmed
    payment leaves it) but not yet issued."""
    order = certificate_services.start_order(person=person or UserFactory(), entry=entry, kind=kind, copies=copies)
    certificate_services.save_applicant(
        order=order, name="Robin", email="robin@example.com", address="1 High St", postcode="LS1 3AD"
    )
    certificate_services.transition(order, "pay", paid_at=timezone.now())
    return CertificateOrder.objects.get(pk=order.pk)


def certificate_pdf(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()
