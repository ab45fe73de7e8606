"""Staff pages for certificates: find an order for someone on the phone (minimum data, every
view audited), and registrars' revoke and reissue of their offices' certificates, each with a
reason in the audit log. Which orders a staff member sees is `selectors.orders_for`'s rule."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.audit import audit_request
from core.client import client_address
from core.private_search import private_search
from identity.access import staff_required

from . import selectors, services
from .forms import OrderSearchForm, ReasonForm
from .refusals import CertificateRefused


@staff_required("certificates.view_orders")
@require_http_methods(["GET", "POST"])
def orders(request: HttpRequest) -> HttpResponse:
    """The search may be an email address: it is posted and its results shown at a token URL
    (`core.private_search`)."""
    search = private_search(request, "certificate-orders")
    form = OrderSearchForm(search.data)
    found = None
    if search.data is not None and form.is_valid():
        if search.posted:
            return search.redirect_to_results()
        found = selectors.find_orders(user=request.user, query=form.cleaned_data["query"])
        audit_request(
            request,
            action="certificates.orders_searched",
            object_type="certificate_order",
            query=form.cleaned_data["query"],
            found=[order.reference for order in found],
        )
    return render(
        request,
        "certificates/staff/orders.html",
        {
            "form": form,
            "orders": found,
            "search_expired": search.expired,
            "needing_attention": services.orders_needing_attention(selectors.orders_for(request.user))[:50],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@staff_required("certificates.view_orders")
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = selectors.staff_order(user=request.user, reference=reference)
    if order is None:
        raise Http404
    audit_request(
        request,
        action="certificates.order_viewed",
        subject=order.person,
        object_type="certificate_order",
        object_id=order.reference,
    )
    certificates = [
        {
            "certificate": certificate,
            "status": selectors.certificate_status(certificate),
            "actions": services.staff_actions(actor=request.user, certificate=certificate),
        }
        for certificate in order.certificates.select_related("entry", "reissue_of").order_by("copy_number")
    ]
    return render(
        request,
        "certificates/staff/order.html",
        {
            "order": order,
            "certificates": certificates,
            "payments": order.payments.all(),
            "can_retry": order.needs_attention and request.user.has_perm(services.STAFF_ACTIONS["reissue"]),
        },
    )


@staff_required("certificates.reissue_certificate")
@require_http_methods(["POST"])
def retry_issuing(request: HttpRequest, reference: str) -> HttpResponse:
    """Try again to make an order's certificates once the fault that stopped them is fixed."""
    order = selectors.staff_order(user=request.user, reference=reference)
    if order is None:
        raise Http404
    try:
        services.retry_issuing(order=order, actor=request.user, client_address=client_address(request))
    except CertificateRefused as refused:
        flash.error(request, str(refused.message))
    else:
        message = _("Order %(reference)s: the certificates are being made again") % {"reference": reference}
        flash.success(request, message)
    return redirect("certificates-staff:order", reference=order.reference)


SERVICES = {"revoke": services.revoke_certificate, "reissue": services.reissue_certificate}


def _reason_page(request: HttpRequest, *, serial: str, action: str) -> HttpResponse:
    certificate = selectors.certificate_to_act_on(user=request.user, serial=serial)
    if certificate is None:
        raise Http404
    heading = _("Revoke certificate") if action == "revoke" else _("Reissue certificate")
    form = ReasonForm(request.POST if request.method == "POST" else None, submit_label=heading)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                SERVICES[action](
                    certificate=certificate,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    client_address=client_address(request),
                )
            except CertificateRefused as refused:
                form.add_refusal(refused)
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
        {"form": form, "certificate": certificate, "action": action, "heading": heading},
        status=status,
    )


@staff_required("certificates.revoke_certificate")
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, serial: str) -> HttpResponse:
    return _reason_page(request, serial=serial, action="revoke")


@staff_required("certificates.reissue_certificate")
@require_http_methods(["GET", "POST"])
def reissue(request: HttpRequest, serial: str) -> HttpResponse:
    return _reason_page(request, serial=serial, action="reissue")
