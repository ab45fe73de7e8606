"""Registrars' actions on their own offices' certificates: revoke, reissue (with the email that
says so), and retrying an order whose issuing stopped."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queue import enqueue_on_commit
from identity.audit import record_audit
from identity.models import CodeChannel, User
from identity.notifications import send_message, written_for

from .. import selectors
from ..models import Certificate, CertificateOrder
from ..refusals import CertificateRefused
from .issuing import new_serial
from .ordering import transition


def orders_needing_attention(orders):
    """Of `orders` (a staff member's), those whose issuing or a copy's rendering has stopped."""
    return (
        orders.filter(
            Q(status=CertificateOrder.Status.ISSUE_FAILED)
            | Q(status=CertificateOrder.Status.ISSUED, certificates__render_failed_at__isnull=False)
        )
        .distinct()
        .order_by("paid_at")
    )


def retry_issuing(*, order: CertificateOrder, actor: User, client_address: str | None = None) -> CertificateOrder:
    """Staff, once the fault is fixed: the order (or its set-aside copies) gets a fresh count of
    tries and is queued again. Audited; the same permission and office rule as reissuing."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(STAFF_ACTIONS["reissue"])):
        raise CertificateRefused("not_allowed")
    if not selectors.works_in_district_of(actor, order.entry):
        raise CertificateRefused("other_office")
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
        stuck = list(
            order.certificates.select_for_update().filter(render_failed_at__isnull=False).values_list("pk", flat=True)
        )
        if transition(order, "retry_issuing", issue_attempts=0, last_issue_attempt_at=None):
            enqueue_on_commit("certificates.tasks.issue_order_task", order.pk)
        elif stuck:
            Certificate.objects.filter(pk__in=stuck).update(
                render_failed_at=None, render_attempts=0, last_render_attempt_at=None
            )
            for certificate_id in stuck:
                enqueue_on_commit("certificates.tasks.render_certificate_task", certificate_id)
        else:
            raise CertificateRefused("nothing_to_retry")
        record_audit(
            actor=actor,
            action="certificates.issue_retried",
            object_type="certificate_order",
            object_id=order.reference,
            subject=order.person,
            detail={"copies": len(stuck)} if stuck else {},
            client_address=client_address,
        )
    return order


STAFF_ACTIONS = {
    "revoke": "certificates.revoke_certificate",
    "reissue": "certificates.reissue_certificate",
}


def _staff_refusal(actor: User, certificate: Certificate, action: str) -> str | None:
    """Why `actor` may not `action` this certificate now, or None if they may."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(STAFF_ACTIONS[action])):
        return "not_allowed"
    if not selectors.works_in_district_of(actor, certificate.entry):
        return "other_office"
    if certificate.revoked_at is not None:
        return "already_revoked"
    if action == "reissue" and Certificate.objects.filter(reissue_of=certificate).exists():
        return "already_reissued"
    return None


def staff_actions(*, actor: User, certificate: Certificate) -> set[str]:
    """What the staff member may do with the certificate now: the same checks the services make."""
    return {action for action in STAFF_ACTIONS if _staff_refusal(actor, certificate, action) is None}


def _refuse_staff(actor: User, certificate: Certificate, action: str, reason: str) -> None:
    refusal = _staff_refusal(actor, certificate, action)
    if refusal in ("not_allowed", "other_office"):
        raise CertificateRefused(refusal)
    if not reason.strip():
        raise CertificateRefused("reason_needed")
    if refusal is not None:
        raise CertificateRefused(refusal)


def revoke_certificate(
    *, certificate: Certificate, actor: User, reason: str, client_address: str | None = None
) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        _refuse_staff(actor, certificate, "revoke", reason)
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = actor
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        record_audit(
            actor=actor,
            action="certificates.revoked",
            object_type="certificate",
            object_id=certificate.serial,
            subject=certificate.order.person,
            reason=reason.strip(),
            detail={"order": certificate.order.reference},
            client_address=client_address,
        )
    return certificate


def reissue_certificate(
    *, certificate: Certificate, actor: User, reason: str, client_address: str | None = None
) -> Certificate:
    """A new copy with a new serial (for example after a correction), free of charge; the old
    serial then verifies as superseded. The applicant is emailed when it is ready."""
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=certificate.order_id)
        certificate = Certificate.objects.select_related("entry__district").get(pk=certificate.pk)
        _refuse_staff(actor, certificate, "reissue", reason)
        last = order.certificates.aggregate(last=Max("copy_number"))["last"] or 0
        try:
            with transaction.atomic():
                replacement = Certificate.objects.create(
                    serial=new_serial(),
                    order=order,
                    copy_number=last + 1,
                    entry=certificate.entry,
                    kind=certificate.kind,
                    bilingual=certificate.entry.district.in_wales,
                    reissue_of=certificate,
                )
        except IntegrityError as error:
            raise CertificateRefused("already_reissued") from error
        record_audit(
            actor=actor,
            action="certificates.reissued",
            object_type="certificate",
            object_id=certificate.serial,
            subject=order.person,
            reason=reason.strip(),
            detail={"order": order.reference, "new_serial": replacement.serial},
            client_address=client_address,
        )
        enqueue_on_commit("certificates.tasks.render_certificate_task", replacement.pk)
        subject, body = certificate_reissued_message(order.person, order, certificate, replacement)
        send_message(
            key=f"certificates:{replacement.serial}:reissued",
            channel=CodeChannel.EMAIL,
            to=order.applicant_email,
            subject=subject,
            body=body,
        )
    return replacement


@written_for
def certificate_reissued_message(
    recipient: User, order: CertificateOrder, old: Certificate, new: Certificate
) -> tuple[str, str]:
    link = settings.SITE_URL + reverse("certificates:order", args=[order.reference])
    values = {"reference": order.reference, "old": old.serial, "new": new.serial, "link": link}
    return _("Your certificate has been reissued: order %(reference)s") % values, _(
        "A registrar has reissued certificate %(old)s as %(new)s.\n\n"
        "The old one is no longer valid. Download the new one from %(link)s"
    ) % values
