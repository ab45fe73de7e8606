"""Citizen pages: search the public index, order a certificate (certificate and copies, the
50-year details, the applicant, check and pay), the page that waits for the signed PDF and
offers it, the sandbox payment provider's hosted page, and public verification."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.client import client_address
from core.pages import problem_page, refusal_page
from core.private_search import private_search
from core.refusals import message_for
from core.replica import reads_may_lag
from identity.access import citizen_required
from registrar.models import IndexName

from . import kept_documents, payments, selectors, services
from .forms import (
    ApplicantForm,
    BirthDetailsForm,
    IndexSearchForm,
    OrderForm,
    SandboxCardForm,
    VerifyPdfForm,
    VerifySerialForm,
)
from .limits import count_verification
from .models import Certificate, CertificateOrder, Payment, SandboxPayment
from .refusals import OrderRefused, SearchRefused, VerificationRefused


def start(request: HttpRequest) -> HttpResponse:
    fee = min(settings.CERTIFICATE_FEES_PENCE.values())
    return render(request, "certificates/start.html", {"fee": f"£{fee / 100:,.2f}"})


def _page_number(value: str | None) -> int:
    """Any page number is harmless: nonsense shows the first page, beyond the end the last."""
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


@reads_may_lag
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """The index search. Names are personal: the search is posted and its results shown, and
    paged, at a token URL (`core.private_search`). Shows index fields only."""
    search = private_search(request, "certificates-index")
    form = IndexSearchForm(search.data, initial={"event": "birth", "years_either_side": 0})
    results = None
    status = 200
    if search.data is not None:
        if form.is_valid():
            try:
                results = selectors.search_index(form.search(page=_page_number(request.GET.get("page"))))
            except SearchRefused as refused:
                form.add_refusal(refused)
                status = 400
            else:
                if search.posted:
                    return search.redirect_to_results()
        else:
            status = 400
    context = {"form": form, "results": results, "search_expired": search.expired}
    if results is not None:
        if results.has_next:
            context["next_url"] = search.page_url(results.page + 1)
        if results.has_previous:
            context["previous_url"] = search.page_url(results.page - 1)
    return render(request, "certificates/search.html", context, status=status)


def _own_order(request: HttpRequest, reference: str) -> CertificateOrder:
    """Someone else's order is a 404, not a 403: references are not to be probed."""
    return get_object_or_404(
        CertificateOrder.objects.select_related("entry__district"), reference=reference, person=request.user
    )


def _next_step(order: CertificateOrder) -> HttpResponse:
    step = services.missing_step(order)
    if step == "details":
        return redirect("certificates:details", reference=order.reference)
    if step == "applicant":
        return redirect("certificates:applicant", reference=order.reference)
    return redirect("certificates:check", reference=order.reference)


@citizen_required
@require_http_methods(["GET", "POST"])
def order_start(request: HttpRequest, line_id: int) -> HttpResponse:
    line = get_object_or_404(IndexName.objects.select_related("entry__district"), pk=line_id)
    form = OrderForm(request.POST if request.method == "POST" else None, event=line.event, initial={"copies": 1})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                order = services.start_order(
                    person=request.user,
                    entry=line.entry,
                    kind=form.cleaned_data["kind"],
                    copies=form.cleaned_data["copies"],
                )
            except OrderRefused as refused:
                form.add_refusal(refused)
            else:
                return _next_step(order)
        status = 400
    return render(request, "certificates/order_certificate.html", {"form": form, "line": line}, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def order_certificate(request: HttpRequest, reference: str) -> HttpResponse:
    order = _own_order(request, reference)
    if not order.is_open:
        return redirect("certificates:order", reference=order.reference)
    form = OrderForm(
        request.POST if request.method == "POST" else None,
        event=order.entry.event,
        initial={"kind": order.kind, "copies": order.copies},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_order(order=order, kind=form.cleaned_data["kind"], copies=form.cleaned_data["copies"])
            except OrderRefused as refused:
                if refused.order_closed:
                    return redirect("certificates:order", reference=order.reference)
                form.add_refusal(refused)
            else:
                return _next_step(order)
        status = 400
    return render(request, "certificates/order_certificate.html", {"form": form, "order": order}, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def order_details(request: HttpRequest, reference: str) -> HttpResponse:
    order = _own_order(request, reference)
    if not order.is_open:
        return redirect("certificates:order", reference=order.reference)
    if not selectors.needs_birth_details(order.entry):
        return _next_step(order)
    form = BirthDetailsForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.confirm_birth_details(order=order, **form.cleaned_data)
            except OrderRefused as refused:
                if refused.order_closed:
                    return redirect("certificates:order", reference=order.reference)
                form.add_refusal(refused)
            else:
                order.refresh_from_db()
                return _next_step(order)
        status = 400
    return render(request, "certificates/order_details.html", {"form": form, "order": order}, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def order_applicant(request: HttpRequest, reference: str) -> HttpResponse:
    order = _own_order(request, reference)
    if not order.is_open:
        return redirect("certificates:order", reference=order.reference)
    initial = {
        "full_name": order.applicant_name,
        "email": order.applicant_email,
        "address": order.applicant_address,
        "postcode": order.applicant_postcode,
    }
    form = ApplicantForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_applicant(
                    order=order,
                    name=data["full_name"],
                    email=data["email"],
                    address=data["address"],
                    postcode=data["postcode"],
                )
            except OrderRefused:  # the only refusal here: paid or locked meanwhile
                return redirect("certificates:order", reference=order.reference)
            return _next_step(order)
        status = 400
    return render(request, "certificates/order_applicant.html", {"form": form, "order": order}, status=status)


@citizen_required
def order_check(request: HttpRequest, reference: str) -> HttpResponse:
    order = _own_order(request, reference)
    if not order.is_open:
        return redirect("certificates:order", reference=order.reference)
    if services.missing_step(order):
        return _next_step(order)
    last_payment = order.payments.first()
    return render(
        request,
        "certificates/order_check.html",
        {
            "order": order,
            "needs_details": selectors.needs_birth_details(order.entry),
            "last_payment": last_payment,
        },
    )


@require_POST
@citizen_required
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    order = _own_order(request, reference)
    if not order.is_open:
        return redirect("certificates:order", reference=order.reference)
    if services.missing_step(order):
        return _next_step(order)

    def return_url(token: str) -> str:
        return request.build_absolute_uri(reverse("certificates:payment-return", args=[order.reference, token]))

    try:
        payment = services.start_payment(order=order, return_url=return_url)
    except OrderRefused as refused:
        if refused.order_closed:
            return redirect("certificates:order", reference=order.reference)
        return refusal_page(
            request,
            refused,
            back=reverse("certificates:check", args=[order.reference]),
            title=_("There is a problem with your order"),
        )
    return redirect(payment.next_url)


@citizen_required
def payment_return(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """Where the provider sends the person back. Nothing in this URL says how the payment went:
    the provider is asked."""
    order = _own_order(request, reference)
    payment = get_object_or_404(Payment, order=order, return_token=token)
    try:
        payment = services.confirm_payment(payment=payment)
    except payments.ProviderError:
        return render(request, "certificates/payment_checking.html", {"order": order, "payment": payment}, status=503)
    if payment.status == Payment.Status.SUCCESS:
        return redirect("certificates:order", reference=order.reference)
    return render(
        request,
        "certificates/payment_not_taken.html",
        {"order": order, "payment": payment},
        status=200 if payment.status != Payment.Status.CREATED else 409,
    )


@citizen_required
def order_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Waits for the signed PDFs (the page refreshes itself without JavaScript) and offers them."""
    order = _own_order(request, reference)
    if order.is_open:
        return redirect("certificates:check", reference=order.reference)
    if order.status == CertificateOrder.Status.LOCKED:
        return problem_page(
            request,
            message_for(OrderRefused, "too_many_attempts"),
            status=200,
            back=reverse("certificates:search"),
            title=_("There is a problem with your order"),
            caption=order.reference,
            back_label=_("Search the index to order a certificate"),
        )
    certificates = list(order.certificates.select_related("reissue_of").order_by("copy_number"))
    current = [
        {"certificate": certificate, "status": selectors.certificate_status(certificate)}
        for certificate in certificates
    ]
    problem = order.needs_attention
    being_made = order.status == CertificateOrder.Status.PAID or any(not c.is_ready for c in certificates)
    waiting = being_made and not problem
    return render(
        request,
        "certificates/order_status.html",
        {"order": order, "certificates": current, "waiting": waiting, "problem": problem},
    )


@citizen_required
def download(request: HttpRequest, reference: str, serial: str) -> HttpResponse:
    order = _own_order(request, reference)
    certificate = get_object_or_404(Certificate, order=order, serial=serial)
    if not certificate.is_ready:
        raise Http404
    response = FileResponse(certificate.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.serial}.pdf"'
    return response


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/mine.html", {"orders": selectors.orders_of(request.user)})


# --- The sandbox payment provider's hosted page ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, payment_id: str) -> HttpResponse:
    """Stands in for GOV.UK Pay's hosted card page. Its id is a random token, like GOV.UK Pay's."""
    sandbox_payment = get_object_or_404(SandboxPayment, payment_id=payment_id)
    if sandbox_payment.status != SandboxPayment.Status.CREATED:
        return redirect(sandbox_payment.return_url)
    form = SandboxCardForm(request.POST if request.method == "POST" and "cancel" not in request.POST else None)
    status = 200
    if request.method == "POST":
        if "cancel" in request.POST:
            with transaction.atomic():
                payments.pay_in_sandbox(payment_id=payment_id, card_number=None)
            return redirect(sandbox_payment.return_url)
        if form.is_valid():
            try:
                with transaction.atomic():
                    payments.pay_in_sandbox(payment_id=payment_id, card_number=form.cleaned_data["card_number"])
            except payments.SandboxCardRefused:
                form.add_error(
                    "card_number",
                    _("This is the sandbox: use 4444333322221111 to pay or 4000000000000002 to be declined"),
                )
            else:
                return redirect(sandbox_payment.return_url)
        status = 400
    return render(
        request, "certificates/sandbox_pay.html", {"form": form, "sandbox_payment": sandbox_payment}, status=status
    )


# --- Public verification -------------------------------------------------------------------------------------


def _too_many_checks(request: HttpRequest, refused: VerificationRefused) -> HttpResponse:
    return refusal_page(request, refused, back=reverse("certificates:verify"), title=_("Too many checks"))


def verify(request: HttpRequest) -> HttpResponse:
    submitted = "serial" in request.GET
    form = VerifySerialForm(request.GET if submitted else None)
    if submitted and form.is_valid():
        return redirect("certificates:verify-serial", serial=form.cleaned_data["serial"])
    return render(request, "certificates/verify.html", {"form": form}, status=400 if submitted else 200)


@reads_may_lag
def verify_serial(request: HttpRequest, serial: str) -> HttpResponse:
    try:
        count_verification(client_address(request))
    except VerificationRefused as refused:
        return _too_many_checks(request, refused)
    document = kept_documents.check_serial(serial)
    if document is None:
        context = {"serial": serial[:40], "status": "unknown", "template": kept_documents.NO_DOCUMENT_TEMPLATE}
        return render(request, "certificates/verify_result.html", context, status=404)
    context = {"serial": document.serial, "status": document.status, "kept": document, "template": document.template}
    return render(request, "certificates/verify_result.html", context)


@reads_may_lag
@require_http_methods(["GET", "POST"])
def verify_pdf(request: HttpRequest) -> HttpResponse:
    form = VerifyPdfForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    result = None
    status = 200
    if request.method == "POST":
        try:
            count_verification(client_address(request))
        except VerificationRefused as refused:
            return _too_many_checks(request, refused)
        if form.is_valid():
            result = kept_documents.check_pdf(form.cleaned_data["pdf"].read())
        else:
            status = 400
    return render(request, "certificates/verify_pdf.html", {"form": form, "result": result}, status=status)
