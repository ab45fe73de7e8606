"""Medical certificates of cause of death, the coroner's release and the written notice to the informant."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.places import registration_district_for
from identity.audit import record_audit
from identity.models import User

from .. import rules
from ..models import Event, MedicalCertificate, Registration
from ..refusals import RegistrationRefused
from ..register import UK
from .deciding import decide
from .submission import refresh_derived


def record_medical_certificate(*, submitted_by: User, details: dict[str, Any]) -> MedicalCertificate:
    """A medical examiner's MCCD (validated by the serializer). Its district comes from the
    place of death's postcode when not given."""
    details = dict(details)
    postcode = details.pop("place_of_death_postcode", "")
    if details.get("district") is None and postcode:
        details["district"] = registration_district_for(postcode)
    details["reference"] = details["reference"].strip().upper()
    try:
        with transaction.atomic():
            certificate = MedicalCertificate.objects.create(submitted_by=submitted_by, **details)
            # Drafts waiting for this MCCD now get their deadline and district.
            for registration in Registration.objects.select_for_update(of=("self",)).filter(
                event=Event.DEATH,
                status__in=Registration.EDITABLE,
                answers__certificate__reference=certificate.reference,
            ):
                refresh_derived(registration)
                registration.save()
    except IntegrityError as error:
        # Two sends of the same reference at once: the second is told, not failed.
        raise RegistrationRefused("duplicate_reference") from error
    return certificate


def release_from_coroner(
    *, certificate: MedicalCertificate, actor: User, inquest_open: bool = False, today: date | None = None
) -> MedicalCertificate:
    """The coroner releases a referred death. Registrations it blocked are assessed again: they
    are registered now if every other rule is met, otherwise they go to a registrar."""
    today = today or rules.local_today()
    with transaction.atomic():
        certificate = MedicalCertificate.objects.select_for_update().get(pk=certificate.pk)
        if not certificate.blocks_registration:
            raise RegistrationRefused("already_referred")
        certificate.coroner_released_at = timezone.now()
        certificate.inquest_open = inquest_open
        certificate.save(update_fields=["coroner_released_at", "inquest_open"])
        blocked = list(
            Registration.objects.select_for_update(of=("self",))
            .select_related("informant")
            .filter(medical_certificate=certificate, status=Registration.Status.BLOCKED_BY_CORONER)
        )
        for registration in blocked:
            registration.medical_certificate = certificate
            decide(registration, today=today)
    return certificate


def record_written_notice(*, certificate: MedicalCertificate, actor: User | None = None) -> MedicalCertificate:
    """The registrar is told in writing that the MCCD was issued: the family has 9 more days.
    Open registrations using it get their new deadline at once (reminders follow it)."""
    with transaction.atomic():
        certificate = MedicalCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.extension_notified_at is None:
            certificate.extension_notified_at = timezone.now()
            certificate.save(update_fields=["extension_notified_at"])
        for registration in Registration.objects.select_for_update(of=("self",)).filter(
            medical_certificate=certificate, status__in=Registration.OPEN
        ):
            registration.deadline = rules.death_deadline(
                received_on=certificate.received_at.astimezone(UK).date(), extension_notified=True
            )
            registration.save(update_fields=["deadline"])
        if actor is not None and actor.is_staff:
            record_audit(
                actor=actor,
                action="registration.mccd_written_notice",
                object_type="medical_certificate",
                object_id=certificate.reference,
            )
    return certificate
