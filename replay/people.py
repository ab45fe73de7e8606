"""The people and staff a replay acts as: citizens with a verified identity, a medical examiner's
API account, and each office's officers (the demo diary's, so the calendar has slots)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.utils import timezone

from core.references import new_reference
from identity import roles
from identity.models import IdentityCase, RegisterOffice, User

# Replay accounts are told apart by their addresses' domain (reserved: mail to it goes nowhere).
DOMAIN = "replay.invalid"


def citizen(label: str, full_name: str) -> User:
    """A person whose identity check has been decided verified, as the identity service leaves
    it after a passing check: the replay measures registering, not identity checking."""
    person = User.objects.create(email=f"{label}@{DOMAIN}", full_name=full_name, email_verified_at=timezone.now())
    IdentityCase.objects.create(
        person=person,
        reference=new_reference("ID"),
        status=IdentityCase.Status.VERIFIED,
        decided_at=timezone.now(),
    )
    return person


def medical_examiner() -> User:
    """The API account medical examiners send MCCDs from."""
    examiner, created = User.objects.get_or_create(
        email=f"medical-examiner@{DOMAIN}", defaults={"full_name": "Replay medical examiner", "is_staff": False}
    )
    if created:
        examiner.set_unusable_password()
        examiner.save()
        examiner.groups.add(Group.objects.get(name=roles.MEDICAL_EXAMINER))
    return examiner


def registrar_of(office: RegisterOffice) -> User | None:
    """A registrar of the office (one of its demo officers), for a registration's registrar step."""
    return office.staff.filter(groups__name=roles.REGISTRAR).order_by("pk").first()
