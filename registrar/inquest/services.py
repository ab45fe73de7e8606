"""Writes for deaths after an inquest: a coroner's certificate taken through the API (matched to
the MCCD and the family's registration the coroner had blocked), the death registered from a
certificate after inquest by a registrar of its district, and the family told. Each service runs
in one transaction; messages go through the outbox on commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.places import registration_district_for
from identity.audit import record_audit
from identity.models import User
from identity.notifications import language_at, send_message, written_for

from .. import events
from ..case_selectors import offices_for
from ..models import (
    SUBMIT_CORONER_CERTIFICATES,
    CaseAction,
    CoronerCertificate,
    Event,
    EventKind,
    IndexName,
    MedicalCertificate,
    RegisterEntry,
    Registration,
)
from ..names import surname_key
from ..register import write_entry
from .particulars import entry_fields
from .refusals import InquestRefused

WORK_REGISTRATIONS = "registrar.work_registrations"
INTERIM_SALT = "registrar.inquest.interim"


# --- The coroner's intake ------------------------------------------------------------------------


def record_coroner_certificate(*, submitted_by: User, details: dict[str, Any]) -> CoronerCertificate:
    """A coroner's certificate (validated by the serializer). Its district is the place of death's
    (named, or from the postcode), and must be one the coroner's office sends to. The MCCD the
    coroner was referred, and the family's registration waiting for the coroner, are linked: after
    inquest the coroner's block is lifted and the registrar registers the death from this
    certificate; while the inquest is open the family receives the interim certificate."""
    if not submitted_by.has_perm(SUBMIT_CORONER_CERTIFICATES):
        raise InquestRefused("coroner_not_permitted")
    details = dict(details)
    postcode = details.pop("place_of_death_postcode", "")
    medical_certificate = details.pop("mccd_reference", None)
    if details.get("district") is None and postcode:
        details["district"] = registration_district_for(postcode)
    if details.get("district") is None:
        raise InquestRefused("coroner_district_unknown")
    if not submitted_by.offices.filter(pk=details["district"].pk).exists():
        raise InquestRefused("coroner_wrong_area")
    interim = details["kind"] == CoronerCertificate.Kind.INTERIM
    try:
        with transaction.atomic():
            if CoronerCertificate.objects.filter(reference__iexact=details["reference"]).exists():
                raise InquestRefused("coroner_duplicate")
            medical_certificate = medical_certificate or _referred_mccd(details)
            registration = _blocked_registration(medical_certificate)
            certificate = CoronerCertificate.objects.create(
                submitted_by=submitted_by,
                status=CoronerCertificate.Status.INTERIM if interim else CoronerCertificate.Status.WAITING,
                medical_certificate=medical_certificate,
                registration=registration,
                **details,
            )
            if medical_certificate is not None:
                _update_referral(medical_certificate, interim=interim)
            if interim:
                _send_interim(certificate)
    except IntegrityError as error:
        # Two sends of one reference at once: the second is told, not failed.
        raise InquestRefused("coroner_duplicate") from error
    return certificate


def _referred_mccd(details: dict[str, Any]) -> MedicalCertificate | None:
    """Without the MCCD's reference: the one referred death, not yet released, of this person on
    this day in this district (none when it is not exactly one)."""
    candidates = [
        certificate
        for certificate in MedicalCertificate.objects.filter(
            referred_to_coroner=True,
            coroner_released_at__isnull=True,
            date_of_death=details["date_of_death"],
            district=details["district"],
        )
        if surname_key(certificate.deceased_surname) == surname_key(details["deceased_surname"])
    ]
    return candidates[0] if len(candidates) == 1 else None


def _blocked_registration(medical_certificate: MedicalCertificate | None) -> Registration | None:
    if medical_certificate is None:
        return None
    return (
        Registration.objects.select_for_update(of=("self",))
        .filter(
            event=Event.DEATH,
            medical_certificate=medical_certificate,
            status=Registration.Status.BLOCKED_BY_CORONER,
        )
        .order_by("-submitted_at", "-id")
        .first()
    )


def _update_referral(medical_certificate: MedicalCertificate, *, interim: bool) -> None:
    """An open inquest keeps the block (only the interim certificate is issued); the certificate
    after inquest lifts it, and the death is registered from that certificate."""
    medical_certificate = MedicalCertificate.objects.select_for_update().get(pk=medical_certificate.pk)
    if interim:
        medical_certificate.inquest_open = True
        medical_certificate.save(update_fields=["inquest_open"])
    elif medical_certificate.coroner_released_at is None or medical_certificate.inquest_open:
        medical_certificate.coroner_released_at = medical_certificate.coroner_released_at or timezone.now()
        medical_certificate.inquest_open = False
        medical_certificate.save(update_fields=["coroner_released_at", "inquest_open"])


# --- Registering the death -------------------------------------------------------------------------


def may_register(user: User, certificate: CoronerCertificate) -> bool:
    """A registrar (permission to work registrations) of the certificate's district."""
    return (
        user.is_staff
        and user.has_perm(WORK_REGISTRATIONS)
        and offices_for(user).filter(pk=certificate.district_id).exists()
    )


def register_from_certificate(*, certificate: CoronerCertificate, actor: User) -> RegisterEntry:
    """Register the death from the certificate after inquest, without an informant: one entry in
    the register of deaths of the district of the place of death, numbered there, indexed under
    the deceased, audited. The family's registration the coroner had blocked is registered by the
    same entry. The row is locked first, so a second attempt is refused, never a second entry."""
    if not (actor.is_staff and actor.has_perm(WORK_REGISTRATIONS)):
        raise InquestRefused("inquest_not_permitted")
    with transaction.atomic():
        certificate = (
            CoronerCertificate.objects.select_for_update(of=("self",))
            .select_related("district", "registration")
            .get(pk=certificate.pk)
        )
        if not offices_for(actor).filter(pk=certificate.district_id).exists():
            raise InquestRefused("inquest_wrong_office")
        if certificate.is_interim:
            raise InquestRefused("inquest_interim")
        if not certificate.allows("register"):
            raise InquestRefused("inquest_already_registered")
        registration = certificate.registration
        if registration is not None:
            registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
            if not registration.allows("register"):
                raise InquestRefused("inquest_registration_decided")
        now = timezone.now()
        entry = write_entry(
            district=certificate.district,
            event=Event.DEATH,
            registration=registration,
            registered_by=actor,
            registered_at=now,
            **entry_fields(certificate),
        )
        if not certificate.move("register", entry=entry, registered_by=actor, registered_at=now):
            raise InquestRefused("inquest_already_registered")
        if registration is not None:
            if not registration.move("register", decided_at=now, reasons=[]):
                raise InquestRefused("inquest_registration_decided")
            CaseAction.objects.create(
                registration=registration,
                kind=CaseAction.Kind.REGISTERED,
                actor=actor,
                text=_("Registered from the coroner's certificate after inquest %(reference)s")
                % {"reference": certificate.reference},
            )
        record_audit(
            actor=actor,
            action="inquest.registered_from_certificate",
            object_type="coroner_certificate",
            object_id=certificate.reference,
            detail={"entry": entry.entry_reference},
        )
        events.publish(kind=EventKind.REGISTERED, entry=entry)
        _tell_family_registered(certificate, entry)
    return entry


# --- Telling the family ----------------------------------------------------------------------------


def family_addresses(certificate: CoronerCertificate) -> list[str]:
    """The contact the coroner gave, and the person who started registering the death online."""
    addresses = [certificate.family_email] if certificate.family_email else []
    if certificate.registration_id:
        email = certificate.registration.informant.email
        if email and email.lower() not in {address.lower() for address in addresses}:
            addresses.append(email)
    return addresses


def order_link(entry: RegisterEntry) -> str:
    """The order page for copies of this entry: the entry is chosen already."""
    line = IndexName.objects.filter(entry=entry).order_by("id").first()
    return settings.SITE_URL + reverse("certificates:order-start", args=[line.pk]) if line else ""


def _family_language(certificate: CoronerCertificate, address: str) -> str:
    """An address the coroner gave may have no account: then the language of the person who
    started registering the death online, if anyone did."""
    informant = certificate.registration.informant if certificate.registration_id else None
    return language_at(address, otherwise=informant)


@written_for
def death_registered_after_inquest_message(
    recipient: str, certificate: CoronerCertificate, entry: RegisterEntry
) -> tuple[str, str]:
    body = _(
        "The death of %(name)s has been registered from the certificate of %(coroner)s, Coroner for %(area)s, "
        "after the inquest held on %(held)s. The register entry is %(entry)s. You can order death certificates "
        "now: %(link)s"
    ) % {
        "name": certificate.deceased_name,
        "coroner": certificate.coroner_name,
        "area": certificate.coroner_area,
        "held": date_format(certificate.inquest_date, "j F Y"),
        "entry": entry.entry_reference,
        "link": order_link(entry),
    }
    return _("The death of %(name)s is registered") % {"name": certificate.deceased_name}, body


def _tell_family_registered(certificate: CoronerCertificate, entry: RegisterEntry) -> None:
    for index, address in enumerate(family_addresses(certificate)):
        subject, body = death_registered_after_inquest_message(
            _family_language(certificate, address), certificate, entry
        )
        send_message(
            key=f"inquest:{certificate.reference}:registered:{index}",
            channel="email",
            to=address,
            subject=subject,
            body=body,
        )


def interim_token(certificate: CoronerCertificate) -> str:
    return signing.dumps({"c": certificate.reference}, salt=INTERIM_SALT)


def interim_for_token(token: str) -> CoronerCertificate:
    """The interim certificate a family's link is for; a changed or expired link is refused."""
    try:
        data = signing.loads(
            token, salt=INTERIM_SALT, max_age=timedelta(days=settings.INQUEST_INTERIM_LINK_MAX_AGE_DAYS)
        )
    except signing.BadSignature as error:
        raise InquestRefused("interim_link_invalid") from error
    certificate = (
        CoronerCertificate.objects.select_related("district")
        .filter(reference=str(data.get("c", "")), kind=CoronerCertificate.Kind.INTERIM)
        .first()
    )
    if certificate is None:
        raise InquestRefused("interim_link_invalid")
    return certificate


def interim_link(certificate: CoronerCertificate) -> str:
    return settings.SITE_URL + reverse("certificates:interim", args=[interim_token(certificate)])


@written_for
def interim_certificate_message(recipient: str, certificate: CoronerCertificate) -> tuple[str, str]:
    body = _(
        "%(coroner)s, Coroner for %(area)s, has opened an inquest into the death of %(name)s and has issued an "
        "interim certificate of the fact of death. It is not a death certificate: banks, pension providers and "
        "others accept it while the inquest is open. The death will be registered after the inquest, and you "
        "will be told. Download the interim certificate: %(link)s"
    ) % {
        "coroner": certificate.coroner_name,
        "area": certificate.coroner_area,
        "name": certificate.deceased_name,
        "link": interim_link(certificate),
    }
    return _("Interim certificate of the fact of death of %(name)s") % {"name": certificate.deceased_name}, body


def _send_interim(certificate: CoronerCertificate) -> None:
    for index, address in enumerate(family_addresses(certificate)):
        subject, body = interim_certificate_message(_family_language(certificate, address), certificate)
        send_message(
            key=f"inquest:{certificate.reference}:interim:{index}",
            channel="email",
            to=address,
            subject=subject,
            body=body,
        )
