"""Staff pages for converting a civil partnership into a marriage: find the partnership's entry
by its reference (posted, never in the address), record both partners' declaration, and the
confirmation with the new marriage entry. Registrars with `work_notices`, at their own offices."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required

from ..models import RegisterEntry
from ..models.marriages import WORK_NOTICES
from . import conversion_selectors as selectors
from . import conversion_services as services
from .conversion_forms import ConversionForm, FindPartnershipForm
from .refusals import MarriageRefused

FIND = "registrar/marriage/staff/conversion_find.html"
DECLARE = "registrar/marriage/staff/conversion_declare.html"


def _find_page(request: HttpRequest, form: FindPartnershipForm, status: int = 200) -> HttpResponse:
    form.helper.form_action = reverse("marriage-staff:conversion")
    return render(request, FIND, {"form": form, "error_form": form if status != 200 else None}, status=status)


def _declare_page(request: HttpRequest, entry: RegisterEntry, form: ConversionForm, status: int = 200):
    form.helper.form_action = reverse("marriage-staff:conversion-declare")
    context = {
        "form": form,
        "error_form": form if status != 200 else None,
        "partnership": selectors.partnership_summary(entry),
    }
    return render(request, DECLARE, context, status=status)


@staff_required(WORK_NOTICES)
@require_http_methods(["GET", "POST"])
def conversion(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _find_page(request, FindPartnershipForm())
    form = FindPartnershipForm(request.POST)
    if not form.is_valid():
        return _find_page(request, form, status=400)
    reference = form.cleaned_data["partnership"]
    try:
        entry = services.partnership_to_convert(reference)
    except MarriageRefused as refused:
        audit_request(request, action="conversion.partnership_searched", reference=reference, found=False)
        add_refusal(form, refused, "partnership")
        return _find_page(request, form, status=refused.status)
    audit_request(
        request,
        action="conversion.partnership_searched",
        object_type="register_entry",
        object_id=entry.pk,
        reference=entry.entry_reference,
        found=True,
    )
    declaration = ConversionForm(
        initial={"partnership": entry.entry_reference}, offices=selectors.conversion_offices(request.user)
    )
    return _declare_page(request, entry, declaration)


@staff_required(WORK_NOTICES)
@require_POST
def declare(request: HttpRequest) -> HttpResponse:
    form = ConversionForm(request.POST, offices=selectors.conversion_offices(request.user))
    finding = FindPartnershipForm({"partnership": request.POST.get("partnership", "")})
    if not finding.is_valid():
        return _find_page(request, finding, status=400)
    try:
        entry = services.partnership_to_convert(finding.cleaned_data["partnership"])
    except MarriageRefused as refused:
        add_refusal(finding, refused, "partnership")
        return _find_page(request, finding, status=refused.status)
    if not form.is_valid():
        return _declare_page(request, entry, form, status=400)
    data = form.cleaned_data
    try:
        done = services.convert_partnership(
            partnership=entry,
            office=data["office"],
            declared_on=data["declared_on"],
            both_present=data["both_present"],
            both_signed=data["both_signed"],
            identities_checked=data["identities_checked"],
            actor=request.user,
        )
    except MarriageRefused as refused:
        field = "declared_on" if refused.code.startswith("conversion_declared") else None
        add_refusal(form, refused, field)
        return _declare_page(request, entry, form, status=refused.status)
    return redirect("marriage-staff:conversion-done", done.reference)


@staff_required(WORK_NOTICES)
@require_GET
def done(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.conversion_for(user=request.user, reference=reference)
    if found is None:
        raise Http404
    audit_request(
        request, action="conversion.viewed", object_type="conversion", object_id=found.pk, reference=found.reference
    )
    marriage = found.marriage
    entry_url = reverse("registrar-staff:entry", args=[marriage.district.code, "M", marriage.year, marriage.number])
    return render(
        request,
        "registrar/marriage/staff/conversion_done.html",
        {"conversion": found, "entry_url": entry_url, "summary": selectors.partnership_summary(found.partnership)},
    )
