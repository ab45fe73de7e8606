"""Writes of an order before it is paid: the certificate and copies, the 50-year details, the
applicant; and `transition`, the one way an order's status changes."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.references import new_reference
from identity.models import User
from registrar.models import RegisterEntry
from registrar.register import current_particulars
from registrar.stillbirth.selectors import may_have_copy

from .. import selectors
from ..models import KINDS_FOR_EVENT, CertificateOrder
from ..refusals import OrderRefused


def transition(order: CertificateOrder, name: str, **fields) -> bool:
    """Apply one of `CertificateOrder.TRANSITIONS` as a compare-and-swap: the status changes
    (with `fields`) only if the order is still in one of the transition's starting states, so
    of two racing changes one wins. True if this one did."""
    sources, target = CertificateOrder.TRANSITIONS[name]
    if not CertificateOrder.objects.filter(pk=order.pk, status__in=sources).update(status=target, **fields):
        return False
    order.status = target
    for field, value in fields.items():
        setattr(order, field, value)
    return True


def _refuse_unless_open(order: CertificateOrder) -> None:
    if order.status == CertificateOrder.Status.LOCKED:
        raise OrderRefused("too_many_attempts")
    if not order.is_open:
        raise OrderRefused("already_paid")


def _change_open_order(order: CertificateOrder, **fields) -> CertificateOrder:
    """Write to the order only while the person may still change it (checked in the UPDATE)."""
    if not CertificateOrder.objects.filter(pk=order.pk, status__in=CertificateOrder.OPEN).update(**fields):
        order.refresh_from_db(fields=["status"])
        _refuse_unless_open(order)
    for field, value in fields.items():
        setattr(order, field, value)
    return order


def _check_kind(entry: RegisterEntry, kind: str, copies: int) -> None:
    if kind not in KINDS_FOR_EVENT.get(entry.event, []):
        raise OrderRefused("wrong_kind")
    if not 1 <= copies <= settings.CERTIFICATE_MAX_COPIES:
        raise OrderRefused("copies_out_of_range")


def start_order(*, person: User, entry: RegisterEntry, kind: str, copies: int) -> CertificateOrder:
    """A re-registered birth's copies are of its new entry; only registrar staff of the entry's
    district (who see both entries) may order the original itself. Copies of a still-birth entry
    go only to the parents and the register office (`may_have_copy`)."""
    if not (person.is_staff and selectors.works_in_district_of(person, entry)):
        entry = selectors.current_entry(entry)
    if not may_have_copy(person=person, entry=entry):
        raise OrderRefused("stillbirth_parents_only")
    _check_kind(entry, kind, copies)
    return CertificateOrder.objects.create(
        reference=new_reference("CO"),
        person=person,
        entry=entry,
        kind=kind,
        copies=copies,
        applicant_name=person.full_name,
        applicant_email=person.email,
        fee_pence_each=settings.CERTIFICATE_FEES_PENCE[kind],
    )


def change_order(*, order: CertificateOrder, kind: str, copies: int) -> CertificateOrder:
    _refuse_unless_open(order)
    _check_kind(order.entry, kind, copies)
    return _change_open_order(order, kind=kind, copies=copies, fee_pence_each=settings.CERTIFICATE_FEES_PENCE[kind])


def confirm_birth_details(
    *, order: CertificateOrder, date_of_birth: date, place_of_birth: str, mother_name: str, father_name: str
) -> CertificateOrder:
    """Births in the last 50 years. A limited number of tries, so the details cannot be
    guessed: the last wrong one locks the order. Details once matched stay matched, so a
    payment started with them is never left on a locked order."""
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
        _refuse_unless_open(order)
        if order.details_confirmed_at is not None:
            return order
        matched = False
        if order.details_attempts < settings.CERTIFICATE_DETAIL_ATTEMPTS:
            matched = selectors.birth_details_match(
                current_particulars(order.entry),
                date_of_birth=date_of_birth,
                place_of_birth=place_of_birth,
                mother_name=mother_name,
                father_name=father_name,
            )
            order.details_attempts += 1
            order.details_confirmed_at = timezone.now() if matched else None
            order.save(update_fields=["details_attempts", "details_confirmed_at"])
        locked = not matched and order.details_attempts >= settings.CERTIFICATE_DETAIL_ATTEMPTS
        if locked:
            transition(order, "lock")
    if locked:
        raise OrderRefused("too_many_attempts")
    if not matched:
        raise OrderRefused("details_do_not_match")
    return order


def save_applicant(*, order: CertificateOrder, name: str, email: str, address: str, postcode: str) -> CertificateOrder:
    _refuse_unless_open(order)
    return _change_open_order(
        order,
        applicant_name=name.strip(),
        applicant_email=email.strip(),
        applicant_address=address.strip(),
        applicant_postcode=postcode.strip(),
    )


def missing_step(order: CertificateOrder) -> str | None:
    """The first thing the order still needs before it can be paid for, if any."""
    if selectors.needs_birth_details(order.entry) and order.details_confirmed_at is None:
        return "details"
    if not (order.applicant_name and order.applicant_email and order.applicant_address):
        return "applicant"
    return None
