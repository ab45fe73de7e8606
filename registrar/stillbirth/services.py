"""Writes of the stillbirth part: recording a medical certificate of stillbirth sent by a
hospital or a midwife. The parent's registration itself goes through registrar.services, as
a birth does."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from core.places import registration_district_for
from identity.models import User

from ..models import Event, Registration, StillbirthCertificate
from ..refusals import RegistrationRefused
from . import matching


def record_stillbirth_certificate(*, submitted_by: User, details: dict[str, Any]) -> StillbirthCertificate:
    """A medical certificate of stillbirth (validated by the serializer). Its district comes from
    the place of delivery's postcode when not given. Drafts that already give its reference are
    matched to it now."""
    if not submitted_by.has_perm("registrar.submit_stillbirth_certificates"):
        raise RegistrationRefused("not_allowed")
    details = dict(details)
    postcode = details.pop("place_of_delivery_postcode", "")
    if details.get("district") is None and postcode:
        details["district"] = registration_district_for(postcode)
    details["reference"] = details["reference"].strip().upper()
    try:
        with transaction.atomic():
            certificate = StillbirthCertificate.objects.create(submitted_by=submitted_by, **details)
            for registration in Registration.objects.select_for_update(of=("self",)).filter(
                event=Event.STILLBIRTH,
                status__in=Registration.EDITABLE,
                answers__certificate__reference=certificate.reference,
            ):
                matching.refresh(registration)
                registration.save()
    except IntegrityError as error:
        # Two sends of the same reference at once: the second is told, not failed.
        raise RegistrationRefused("duplicate_reference") from error
    return certificate
