"""Reads for deaths after an inquest: the staff queue of certificates after inquest waiting to be
registered in the user's offices, one certificate as a registrar may see it, and its particulars
in words for the page."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from identity.models import User

from ..case_selectors import offices_for
from ..models import CoronerCertificate
from .particulars import in_words, informant_statement


def certificates_for(user: User) -> QuerySet[CoronerCertificate]:
    return CoronerCertificate.objects.select_related("district", "entry__district", "registration").filter(
        district__in=offices_for(user)
    )


def waiting_certificates(user: User) -> QuerySet[CoronerCertificate]:
    """Certificates after inquest not yet registered, oldest first (the deaths waiting longest)."""
    return certificates_for(user).filter(
        kind=CoronerCertificate.Kind.AFTER_INQUEST, status=CoronerCertificate.Status.WAITING
    )


# The shape of a coroner's reference (serializers): anything else is no certificate, and is never
# sent to the database (PostgreSQL refuses a NUL in text).
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{2,39}")


def certificate_for(user: User, reference: str) -> CoronerCertificate | None:
    reference = str(reference).strip()
    if not REFERENCE.fullmatch(reference):
        return None
    return certificates_for(user).filter(reference=reference.upper()).first()


def particulars_in_words(certificate: CoronerCertificate) -> list[tuple[str, str]]:
    """(label, value) rows as the registrar checks them, dates in words, nothing as a code."""
    born = certificate.deceased_date_of_birth
    rows = [
        (_("Name"), certificate.deceased_name),
        (_("Maiden surname"), certificate.deceased_maiden_surname),
        (_("Sex"), certificate.get_sex_display()),
        (_("Date of birth"), in_words(born) if born else _("Not known")),
        (_("Date of death"), in_words(certificate.date_of_death)),
        (_("Place of death"), certificate.place_of_death),
        (_("Registration district"), certificate.district.name),
        (_("Occupation"), certificate.occupation),
        (_("Usual address"), certificate.usual_address),
        (_("Cause of death as found"), certificate.cause_of_death),
        (_("Conclusion of the inquest"), certificate.conclusion),
        (_("Coroner"), f"{certificate.coroner_name}, {certificate.coroner_area}"),
        (
            _("Inquest opened") if certificate.is_interim else _("Inquest held"),
            in_words(certificate.inquest_date),
        ),
        (_("Family contact"), certificate.family_name),
    ]
    if not certificate.is_interim:
        rows.append((_("In the informant's column"), informant_statement(certificate)))
    return [(label, value) for label, value in rows if value]
