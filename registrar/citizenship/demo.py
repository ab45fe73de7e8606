"""Demo data for `make run`: group citizenship ceremonies at Leeds and Cardiff (Cardiff's offering
the oath and pledge in Welsh), scheduled by booking's demo, and a new citizen invited by the Home
Office, matched to a demo account with a verified identity, ready to book at /citizenship/.
Idempotent."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.references import new_reference
from identity.models import IdentityCase, RegisterOffice, User

from ..models import CitizenshipInvitation
from .services import attend_by_for

CITIZEN_EMAIL = "new.citizen@demo.example"


@transaction.atomic
def load_demo_citizenship() -> int:
    # The ceremonies themselves are scheduled on the calendar by booking's demo (rooms and officers held).
    call_command("load_citizenship_ceremony_demo_data", stdout=io.StringIO())
    made = 0
    offices = {office.code: office for office in RegisterOffice.objects.filter(code__in=["E-LEEDS", "W-CARDIFF"])}
    if not User.objects.filter(email=CITIZEN_EMAIL).exists() and "E-LEEDS" in offices:
        person = User.objects.create(email=CITIZEN_EMAIL, full_name="Nadia Rahman", email_verified_at=timezone.now())
        IdentityCase.objects.create(
            person=person,
            reference=new_reference("ID"),
            status=IdentityCase.Status.VERIFIED,
            decided_at=timezone.now(),
            given_names="Nadia",
            surname="Rahman",
            birth_date=date(1990, 8, 15),
        )
        invited_on = timezone.localdate() - timedelta(days=10)
        CitizenshipInvitation.objects.create(
            reference=new_reference("CI"),
            home_office_reference="HO-DEMO-0001",
            forenames="Nadia",
            surname="Rahman",
            date_of_birth=date(1990, 8, 15),
            email=CITIZEN_EMAIL,
            postcode="LS1 3AD",
            route=CitizenshipInvitation.Route.NATURALISATION,
            invited_on=invited_on,
            attend_by=attend_by_for(invited_on),
            office=offices["E-LEEDS"],
            status=CitizenshipInvitation.Status.MATCHED,
            person=person,
            matched_at=timezone.now(),
        )
        made += 1
    return made
