"""Demo data for `make run`: the West Yorkshire coroner's API client for Leeds, a certificate after
inquest waiting in "Certificates from coroners", and an interim certificate whose family link is
in the development outbox. Idempotent: each certificate is made once, found by its reference."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from identity import roles
from identity.models import RegisterOffice, User

from ..models import CoronerCertificate
from . import services

CORONER_EMAIL = "coroner@registrar.example"


def _coroner(office: RegisterOffice) -> User:
    client, created = User.objects.get_or_create(
        email=CORONER_EMAIL, defaults={"full_name": "West Yorkshire Coroner's Office", "is_staff": True}
    )
    if created:
        client.set_unusable_password()
        client.save(update_fields=["password"])
        client.groups.add(Group.objects.get(name=roles.CORONER))
    client.offices.add(office)
    return client


def _certificate(coroner: User, office: RegisterOffice, **details) -> bool:
    if CoronerCertificate.objects.filter(reference=details["reference"]).exists():
        return False
    today = timezone.localdate()
    died = today - timedelta(days=details.pop("days_ago"))
    services.record_coroner_certificate(
        submitted_by=coroner,
        details={
            "sex": "male",
            "deceased_date_of_birth": died.replace(year=died.year - 67),
            "date_of_death": died,
            "district": office,
            "occupation": "Bus driver",
            "usual_address": "22 Harehills Lane, Leeds LS8 4HS",
            "coroner_name": "Kevin McLoughlin",
            "coroner_area": "West Yorkshire (Eastern)",
            "inquest_date": today - timedelta(days=2),
            "family_email": "family.demo@demo.example",
            "deceased_maiden_surname": "",
            **details,
        },
    )
    return True


def load_demo_inquests() -> int:
    """The demo certificates; returns how many were made now."""
    office = RegisterOffice.objects.filter(code="E-LEEDS").first()
    if office is None:
        return 0
    coroner = _coroner(office)
    made = _certificate(
        coroner,
        office,
        reference="WYC-DEMO-0001",
        kind=CoronerCertificate.Kind.AFTER_INQUEST,
        deceased_given_names="David",
        deceased_surname="Ashworth",
        days_ago=90,
        place_of_death="A64, near Seacroft, Leeds",
        cause_of_death="1a Multiple injuries",
        conclusion="Road traffic collision",
    )
    made += _certificate(
        coroner,
        office,
        reference="WYC-DEMO-0002",
        kind=CoronerCertificate.Kind.INTERIM,
        deceased_given_names="Joseph",
        deceased_surname="Nwosu",
        days_ago=20,
        place_of_death="12 Roundhay Road, Leeds",
        cause_of_death="",
        conclusion="",
    )
    return made
