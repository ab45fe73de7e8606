"""The identity check's pages: the task list, one question per page (document type, document
details, its photo, a photo of the person's face, address and proof of address, its photo),
submitting, and the person's own evidence photos. The API's counterpart is `api_identity`; both
call `cases` (and `selfies` for the photo of the face)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import add_refusal

from . import cases, checks, selectors, selfies
from .access import citizen_required
from .forms import AddressForm, DocumentTypeForm, IdentityDocumentForm, PhotoForm, SelfieForm
from .models import DocumentType, EvidenceImage, IdentityCase
from .refusals import CheckRefused, UploadRejected

STEP_TITLES = {
    "document-type": gettext_lazy("Choose your identity document"),
    "document": gettext_lazy("Enter your document details"),
    "document-photo": gettext_lazy("Upload a photo of your document"),
    "selfie": gettext_lazy("Take a photo of your face"),
    "address": gettext_lazy("Enter your address"),
    "address-photo": gettext_lazy("Upload a photo of your proof of address"),
}


OTHER_DOCUMENT_INTRO = gettext_lazy(
    "Use a passport from another country, a national identity card or a residence permit. Type the details "
    "exactly as they are on the document: a registrar checks them against its photo, and the name on your proof "
    "of address must match it."
)


def _editable_case(request: HttpRequest) -> IdentityCase | None:
    """The person's case to change, or None while a registrar has it (the page then goes back to
    the task list, which says so)."""
    try:
        return cases.editable_case(person=request.user)
    except CheckRefused:
        return None


@citizen_required
def identity_status(request: HttpRequest) -> HttpResponse:
    case = selectors.current_identity_case(person=request.user)
    steps = selectors.journey_steps(case)
    for step in steps:
        step["title"] = STEP_TITLES[step["name"]]
        step["url"] = reverse(f"identity:check-{step['name']}")
    context = {
        "case": case,
        "steps": steps,
        # An optional step (the photo of the face) makes the check stronger but never stops a
        # person without a camera from sending it to a registrar.
        "ready": cases.can_change(case) and all(step["done"] for step in steps if not step.get("optional")),
        "missing": case.missing if case else [],
        "reason_messages": [str(checks.REASONS[r]) for r in (case.reasons if case else []) if r in checks.REASONS],
        # A fraud signal is never named to the person (it would tell a fraudster what was
        # noticed); they are told what happens next and how long it takes.
        "registrar_checks_documents": bool(case and any(r.startswith("fraud_") for r in case.reasons)),
        "review_days": cases.REGISTRAR_REVIEW_WORKING_DAYS,
    }
    return render(request, "identity/check_status.html", context)


def _question(request, template_title, form, status=200, **extra):
    context = {"form": form, "page_title": template_title, **extra}
    return render(request, "identity/check_question.html", context, status=status)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_document_type(request: HttpRequest) -> HttpResponse:
    case = _editable_case(request)
    if case is None:
        return redirect("identity:check")
    form = DocumentTypeForm(
        request.POST if request.method == "POST" else None, initial={"document_type": case.document_type or None}
    )
    if request.method == "POST":
        if form.is_valid():
            cases.choose_document_type(case=case, document_type=form.cleaned_data["document_type"])
            return redirect("identity:check-document")
        return _question(request, STEP_TITLES["document-type"], form, status=400, heading_in_form=True)
    return _question(request, STEP_TITLES["document-type"], form, heading_in_form=True)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_document(request: HttpRequest) -> HttpResponse:
    case = _editable_case(request)
    if case is None or not case.document_type:
        return redirect("identity:check-document-type" if case else "identity:check")
    initial = {
        "given_names": case.given_names,
        "surname": case.surname,
        "birth_date": case.birth_date,
        "document_number": case.document_number,
        "expiry_date": case.document_expiry,
        "mrz_line1": case.mrz_line1,
        "mrz_line2": case.mrz_line2,
    }
    form = IdentityDocumentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        passport=case.document_type == DocumentType.PASSPORT,
        other=case.document_type == DocumentType.OTHER,
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            cases.record_identity_document(
                case=case,
                document_type=case.document_type,
                given_names=data["given_names"],
                surname=data["surname"],
                birth_date=data["birth_date"],
                document_number=data["document_number"],
                expiry_date=data["expiry_date"],
                mrz_line1=data.get("mrz_line1", ""),
                mrz_line2=data.get("mrz_line2", ""),
            )
            return redirect("identity:check-document-photo")
        return _question(request, STEP_TITLES["document"], form, status=400, intro=_document_intro(case))
    return _question(request, STEP_TITLES["document"], form, intro=_document_intro(case))


def _document_intro(case: IdentityCase) -> str:
    if case.document_type != DocumentType.OTHER:
        return ""
    return str(OTHER_DOCUMENT_INTRO)


def _photo_step(request: HttpRequest, *, kind: str, step: str, next_url: str) -> HttpResponse:
    case = _editable_case(request)
    if case is None:
        return redirect("identity:check")
    form = PhotoForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "POST":
        status, retry_after = 400, None
        if form.is_valid():
            try:
                cases.attach_image(case=case, kind=kind, upload=form.cleaned_data["photo"])
            except UploadRejected as rejected:
                add_refusal(form, rejected, "photo")
                status, retry_after = rejected.status, rejected.retry_after
            else:
                return redirect(next_url)
        response = _question(request, STEP_TITLES[step], form, status=status)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response
    return _question(request, STEP_TITLES[step], form)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_document_photo(request: HttpRequest) -> HttpResponse:
    case = selectors.current_identity_case(person=request.user)
    # Only a passport's or licence's photo is compared with the person's face.
    other = case is not None and case.document_type == DocumentType.OTHER
    next_url = reverse("identity:check-address" if other else "identity:check-selfie")
    return _photo_step(request, kind="identity_document", step="document-photo", next_url=next_url)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_selfie(request: HttpRequest) -> HttpResponse:
    """A photo of the person's face to compare with their document photo: a file input that
    opens the front camera on phones, and with JavaScript a camera preview that puts the picture
    it takes into the same input (identity/static/identity/selfie-camera.js)."""
    case = _editable_case(request)
    if case is None or case.document_type not in ("passport", "driving_licence"):
        return redirect("identity:check-document-type" if case else "identity:check")
    assisted = getattr(request, "assisted_by", None) is not None
    form = SelfieForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    status, retry_after = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                selfies.attach_selfie(case=case, upload=form.cleaned_data["photo"], assisted=assisted)
            except (UploadRejected, CheckRefused) as refused:
                add_refusal(form, refused, "photo")
                status, retry_after = refused.status, refused.retry_after
            else:
                return redirect("identity:check-address")
    context = {
        "form": form,
        "page_title": STEP_TITLES["selfie"],
        "assisted": assisted,
        "has_selfie": case.images.filter(kind=EvidenceImage.Kind.SELFIE, deleted_at__isnull=True).exists(),
    }
    response = render(request, "identity/check_selfie.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def check_address(request: HttpRequest) -> HttpResponse:
    case = _editable_case(request)
    if case is None:
        return redirect("identity:check")
    initial = {
        "address": case.address,
        "postcode": case.postcode,
        "document_type": case.address_document_type or None,
        "document_name": case.address_document_name,
        "document_postcode": case.address_document_postcode,
        "issued_on": case.address_document_issued_on,
    }
    form = AddressForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            cases.record_proof_of_address(
                case=case,
                address=data["address"],
                postcode=data["postcode"],
                document_type=data["document_type"],
                document_postcode=data["document_postcode"],
                document_name=data["document_name"],
                issued_on=data["issued_on"],
            )
            return redirect("identity:check-address-photo")
        return _question(request, STEP_TITLES["address"], form, status=400)
    return _question(request, STEP_TITLES["address"], form)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_address_photo(request: HttpRequest) -> HttpResponse:
    return _photo_step(request, kind="address_document", step="address-photo", next_url=reverse("identity:check"))


@citizen_required
@require_POST
def check_submit(request: HttpRequest) -> HttpResponse:
    case = selectors.current_identity_case(person=request.user)
    if cases.can_change(case):
        cases.submit_case(case=case)
    return redirect("identity:check")


@citizen_required
def my_evidence_image(request: HttpRequest, image_id: int) -> HttpResponse:
    """A person sees their own photos only. Phone support acting for them sees none of them —
    neither the documents nor the face (it answers as for a photo that does not exist): only a
    registrar working the case sees evidence, as the privacy notice says."""
    images = EvidenceImage.objects.filter(case__person=request.user, deleted_at__isnull=True)
    if getattr(request, "assisted_by", None) is not None:
        images = images.none()
    return evidence_image_response(get_object_or_404(images, pk=image_id))


def evidence_image_response(image: EvidenceImage) -> HttpResponse:
    """A cleaned evidence photo, never cached, shown in the page rather than downloaded."""
    if not image.file:
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response
