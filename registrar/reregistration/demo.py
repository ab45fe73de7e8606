"""Demo data for `make run`: a mother who registered her baby's birth alone, and the baby's
father, both with verified identities, so that signing in as the mother shows "Re-register a
birth" with the birth to start from. Idempotent: found again by the mother's email."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.references import new_reference
from identity.models import IdentityCase, User

from .. import services as registration_services
from ..models import Registration

MOTHER_EMAIL = "megan.clarke@demo.example"
FATHER_EMAIL = "owen.hartley@demo.example"


def _person(email: str, name: str) -> User:
    person, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        IdentityCase.objects.create(
            person=person, reference=new_reference("ID"), status=IdentityCase.Status.VERIFIED, decided_at=timezone.now()
        )
    return person


def _answers(born) -> dict:
    return {
        "informant": {"qualification": "mother", "parents_unable": False},
        "child": {
            "forenames": "Isla Grace",
            "surname": "Clarke",
            "sex": "female",
            "date_of_birth": born.isoformat(),
            "time_of_birth": "07:20",
            "multiple_birth": False,
        },
        "place": {
            "place_type": "hospital",
            "place_name": "Leeds General Infirmary",
            "address": "Great George Street, Leeds",
            "postcode": "LS1 3EX",
        },
        "mother": {
            "forenames": "Megan",
            "surname": "Clarke",
            "maiden_surname": "Clarke",
            "date_of_birth": "1994-03-09",
            "place_of_birth": "Leeds",
            "occupation": "Nurse",
            "address": "4 Otley Road, Leeds",
            "postcode": "LS6 2AB",
        },
        "relationship": {"parents_married": False, "register_jointly": False},
        "declaration": {"confirmed": True, "at": timezone.now().isoformat()},
    }


def load_demo_reregistration() -> int:
    """1 when the demo birth was registered now, 0 when it was there already (or no office)."""
    mother = _person(MOTHER_EMAIL, "Megan Clarke")
    _person(FATHER_EMAIL, "Owen Hartley")
    if Registration.objects.filter(informant=mother, status=Registration.Status.REGISTERED).exists():
        return 0
    with transaction.atomic():
        registration = registration_services.start_registration(informant=mother, event="birth")
        born = timezone.localdate() - timedelta(days=200)
        registration.answers = _answers(born)
        registration_services.refresh_derived(registration)
        registration.save()
        if registration.district is None:
            return 0
        registration_services.register_registration(registration=registration, actor=None)
    return 1
