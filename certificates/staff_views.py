"""Staff pages for certificates: find an order for someone on the phone (minimum data, every
view audited), and registrars' revoke and reissue, each with a reason in the audit log."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.client import client_address
from identity.access import staff_required
from identity.audit import record_audit

from . import selectors, services
from .forms import OrderSearchForm, ReasonForm
from .models import Certificate, CertificateOrder


@staff_required("certificates.view_orders")
def orders(request: HttpRequest) -> HttpResponse:
    submitted = "query" in request.GET
    form = OrderSearchForm(request.GET if submitted else None)
    found = None
    if submitted and form.is_valid():
        found = list(selectors.find_orders(form.cleaned_data["query"]))
        record_audit(
            actor=request.user,
            action="certificates.orders_searched",
            object_type="certificate_order",
            detail={"query": form.cleaned_data["query"], "found": [order.reference for order in found]},
            client_address=client_address(request),
        )
    return render(
        request,
        "certificates/staff/orders.html",
        {"form": form, "orders": found},
        status=400 if submitted and not form.is_valid() else 200,
    )


@staff_required("certificates.view_orders")
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = get_object_or_404(CertificateOrder.objects.select_related("entry__district", "person"), reference=reference)
    record_audit(
        actor=request.user,
        action="certificates.order_viewed",
        object_type="certificate_order",
        object_id=order.reference,
        subject=order.person,
        client_address=client_address(request),
    )
    certificates = [
        {"certificate": certificate, "status": selectors.certificate_status(certificate)}
        for certificate in order.certificates.select_related("entry").order_by("copy_number")
    ]
    return render(
        request,
        "certificates/staff/order.html",
        {
            "order": order,
            "certificates": certificates,
            "payments": order.payments.all(),
            "can_revoke": request.user.has_perm("certificates.revoke_certificate"),
            "can_reissue": request.user.has_perm("certificates.reissue_certificate"),
        },
    )


STAFF_REFUSALS = {
    "already_revoked": gettext_lazy("This certificate has already been revoked"),
    "already_reissued": gettext_lazy("This certificate has already been reissued"),
    "reason_needed": gettext_lazy("Enter the reason"),
}


def _reason_page(request: HttpRequest, *, serial: str, action: str, permission_label: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("order", "entry"), serial=serial)
    submit_label = _("Revoke certificate") if action == "revoke" else _("Reissue certificate")
    form = ReasonForm(request.POST if request.method == "POST" else None, submit_label=submit_label)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            service = services.revoke_certificate if action == "revoke" else services.reissue_certificate
            try:
                service(
                    certificate=certificate,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    client_address=client_address(request),
                )
            except services.OrderRefused as refused:
                form.add_error("reason", str(STAFF_REFUSALS.get(refused.reason, refused.reason)))
            else:
                flash.success(
                    request,
                    _("Certificate %(serial)s revoked") % {"serial": serial}
                    if action == "revoke"
                    else _("Certificate %(serial)s reissued") % {"serial": serial},
                )
                return redirect("certificates-staff:order", reference=certificate.order.reference)
        status = 400
    return render(
        request,
        "certificates/staff/reason.html",
        {"form": form, "certificate": certificate, "action": action, "heading": permission_label},
        status=status,
    )


@staff_required("certificates.revoke_certificate")
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, serial: str) -> HttpResponse:
    return _reason_page(request, serial=serial, action="revoke", permission_label=_("Revoke certificate"))


@staff_required("certificates.reissue_certificate")
@require_http_methods(["GET", "POST"])
def reissue(request: HttpRequest, serial: str) -> HttpResponse:
    return _reason_page(request, serial=serial, action="reissue", permission_label=_("Reissue certificate"))
