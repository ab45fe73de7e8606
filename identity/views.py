"""Pages for signing in (citizens by emailed code, staff by password and authenticator app),
the account page, mobile number verification and the development outbox."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.client import client_address

from . import cases, checks, selectors, services
from .access import STAFF_VERIFIED_SESSION_KEY, citizen_required, staff_required
from .audit import record_audit
from .forms import (
    AddressForm,
    AuthenticatorCodeForm,
    CodeForm,
    DecisionForm,
    DocumentTypeForm,
    EmailForm,
    IdentityDocumentForm,
    MobileForm,
    PhotoForm,
    QueueFilterForm,
    StaffPasswordForm,
)
from .models import EvidenceImage, IdentityCase, RegisterOffice, StaffAuthenticator, User
from .uploads import UploadRejected

SIGN_IN_EMAIL_KEY = "sign_in_email"
SIGN_IN_NEXT_KEY = "sign_in_next"
STAFF_PENDING_KEY = "staff_pending_user"


def _safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def _throttle_message(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return ngettext(
        "You have asked for too many codes. Wait %(minutes)s minute, then try again.",
        "You have asked for too many codes. Wait %(minutes)s minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


CODE_ERRORS = {
    "incorrect": lambda: _("The security code is incorrect. Check the code and try again"),
    "expired": lambda: _("The security code has expired. Ask for a new code"),
    "locked": lambda: _("You have entered a wrong code too many times. Wait 15 minutes, then ask for a new code"),
}


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("identity:account")
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = services.normalise_email(form.cleaned_data["email"])
        try:
            services.request_sign_in_code(email=email, client_address=client_address(request))
        except services.CodeThrottled as throttled:
            form.add_error("email", _throttle_message(throttled.retry_after))
            return render(request, "identity/sign_in.html", {"form": form}, status=429)
        request.session[SIGN_IN_EMAIL_KEY] = email
        request.session[SIGN_IN_NEXT_KEY] = _safe_next(request, request.GET.get("next"), reverse("identity:account"))
        return redirect("identity:sign-in-code")
    return render(request, "identity/sign_in.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGN_IN_EMAIL_KEY)
    if not email:
        return redirect("identity:sign-in")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = services.sign_in_with_code(
                    email=email, code=form.cleaned_data["code"], client_address=client_address(request)
                )
            except services.CodeRejected as rejected:
                form.add_error("code", CODE_ERRORS[rejected.reason]())
                status = 429 if rejected.reason == "locked" else 400
            except services.SignInRefused as refused:
                message = (
                    _("This is a staff account. Sign in through the staff sign-in page")
                    if refused.reason == "staff"
                    else _("This account is closed. Contact the helpline")
                )
                form.add_error("code", message)
                status = 403
            else:
                next_url = request.session.get(SIGN_IN_NEXT_KEY) or reverse("identity:account")
                login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(next_url)
    return render(request, "identity/sign_in_code.html", {"form": form, "email": email}, status=status)


@require_POST
def resend_sign_in_code(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGN_IN_EMAIL_KEY)
    if not email:
        return redirect("identity:sign-in")
    try:
        services.request_sign_in_code(email=email, client_address=client_address(request))
    except services.CodeThrottled as throttled:
        context = {"form": CodeForm(), "email": email, "resend_error": _throttle_message(throttled.retry_after)}
        return render(request, "identity/sign_in_code.html", context, status=429)
    return redirect(reverse("identity:sign-in-code") + "?resent=1")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("identity:signed-out")


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/signed_out.html")


@citizen_required
def account(request: HttpRequest) -> HttpResponse:
    sections = [{"url": reverse(name), "label": label} for name, label in settings.ACCOUNT_SECTIONS]
    return render(request, "identity/account.html", {"account_user": request.user, "sections": sections})


@citizen_required
@require_http_methods(["GET", "POST"])
def mobile(request: HttpRequest) -> HttpResponse:
    form = MobileForm(
        request.POST if request.method == "POST" else None, initial={"mobile_number": request.user.mobile_number}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_mobile_code(
                user=request.user,
                mobile_number=form.cleaned_data["mobile_number"],
                client_address=client_address(request),
            )
        except services.CodeThrottled as throttled:
            form.add_error("mobile_number", _throttle_message(throttled.retry_after))
            return render(request, "identity/mobile.html", {"form": form}, status=429)
        return redirect("identity:mobile-code")
    return render(request, "identity/mobile.html", {"form": form}, status=400 if form.errors else 200)


@citizen_required
@require_http_methods(["GET", "POST"])
def mobile_code(request: HttpRequest) -> HttpResponse:
    if not request.user.mobile_number:
        return redirect("identity:mobile")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.verify_mobile(
                    user=request.user, code=form.cleaned_data["code"], client_address=client_address(request)
                )
            except services.CodeRejected as rejected:
                form.add_error("code", CODE_ERRORS[rejected.reason]())
                status = 429 if rejected.reason == "locked" else 400
            else:
                return redirect(reverse("identity:account") + "?mobile=verified")
    return render(request, "identity/mobile_code.html", {"form": form}, status=status)


# --- Staff -----------------------------------------------------------------------------------------

STAFF_ERRORS = {
    "invalid": lambda: _("Enter a correct email address and password"),
    "locked": lambda: _("Too many failed attempts. Wait an hour or contact your service admin"),
}


@require_http_methods(["GET", "POST"])
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    form = StaffPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_staff_password(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                client_address=client_address(request),
            )
        except services.SignInRefused as refused:
            form.add_error(None, STAFF_ERRORS[refused.reason]())
            return render(
                request,
                "identity/staff_sign_in.html",
                {"form": form},
                status=429 if refused.reason == "locked" else 400,
            )
        request.session.cycle_key()
        request.session[STAFF_PENDING_KEY] = user.pk
        request.session[SIGN_IN_NEXT_KEY] = _safe_next(request, request.GET.get("next"), reverse("identity:staff-home"))
        authenticator = StaffAuthenticator.objects.filter(user=user, confirmed_at__isnull=False).first()
        return redirect("identity:staff-code" if authenticator else "identity:staff-enrol")
    return render(request, "identity/staff_sign_in.html", {"form": form}, status=400 if form.errors else 200)


def _pending_staff(request: HttpRequest) -> User | None:
    user_id = request.session.get(STAFF_PENDING_KEY)
    return User.objects.filter(pk=user_id, is_staff=True, is_active=True).first() if user_id else None


def _complete_staff_sign_in(request: HttpRequest, user: User) -> HttpResponse:
    next_url = request.session.get(SIGN_IN_NEXT_KEY) or reverse("identity:staff-home")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[STAFF_VERIFIED_SESSION_KEY] = timezone.now().isoformat()
    return redirect(next_url)


def _authenticator_step(
    request: HttpRequest, user: User, *, confirming: bool, wrong_code_message: str
) -> tuple[AuthenticatorCodeForm, int, HttpResponse | None]:
    """The form, status and, on success, the redirect for a page that takes an authenticator
    code (signing in, or confirming a newly set-up app)."""
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return form, 200, None
    if form.is_valid():
        try:
            services.check_staff_totp(
                user=user, code=form.cleaned_data["code"], client_address=client_address(request), confirming=confirming
            )
        except services.SignInRefused as refused:
            locked = refused.reason == "locked"
            form.add_error("code", STAFF_ERRORS["locked"]() if locked else wrong_code_message)
            return form, 429 if locked else 400, None
        return form, 302, _complete_staff_sign_in(request, user)
    return form, 400, None


@require_http_methods(["GET", "POST"])
def staff_code(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        return redirect("identity:staff-sign-in")
    form, status, done = _authenticator_step(
        request,
        user,
        confirming=False,
        wrong_code_message=_("The code is incorrect or has already been used. Wait for a new code and try again"),
    )
    return done or render(request, "identity/staff_code.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def staff_enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        return redirect("identity:staff-sign-in")
    authenticator = StaffAuthenticator.objects.filter(user=user).first()
    if authenticator and authenticator.confirmed:
        return redirect("identity:staff-code")
    if authenticator is None:
        authenticator = services.start_authenticator_enrolment(user=user)
    form, status, done = _authenticator_step(
        request,
        user,
        confirming=True,
        wrong_code_message=_("The code is incorrect. Check the time on your phone is right and try again"),
    )
    if done:
        return done
    uri = services.provisioning_uri(authenticator)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, title=_("QR code for your authenticator app"))
    context = {"form": form, "qr_svg": qr_svg, "secret": authenticator.secret}
    return render(request, "identity/staff_enrol.html", context, status=status)


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    sections = [
        {"url": reverse(name), "label": label}
        for name, label, permission in settings.STAFF_SECTIONS
        if request.user.has_perm(permission)
    ]
    return render(
        request, "identity/staff_home.html", {**selectors.staff_profile(user=request.user), "sections": sections}
    )


def dev_outbox(request: HttpRequest) -> HttpResponse:
    """Every message the service has sent, so a person trying it locally can read their codes.
    Exists only when DEV_OUTBOX_ENABLED (on with DEBUG)."""
    if not settings.DEV_OUTBOX_ENABLED:
        raise Http404
    return render(request, "identity/dev_outbox.html", {"messages_sent": selectors.outbox_messages()})


# --- Identity check journey ------------------------------------------------------------------------

STEP_TITLES = {
    "document-type": gettext_lazy("Choose your identity document"),
    "document": gettext_lazy("Enter your document details"),
    "document-photo": gettext_lazy("Upload a photo of your document"),
    "address": gettext_lazy("Enter your address"),
    "address-photo": gettext_lazy("Upload a photo of your proof of address"),
}


def _editable_case(request: HttpRequest):
    case = cases.open_case(person=request.user)
    if case.status == case.Status.WITH_REGISTRAR:
        return None
    return case


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
        "ready": bool(case and case.status in case.OPEN_STATUSES and all(s["done"] for s in steps)),
        "missing": case.missing if case else [],
        "reason_messages": [str(checks.REASONS[r]) for r in (case.reasons if case else []) if r in checks.REASONS],
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
            if form.cleaned_data["document_type"] == "other":
                return redirect("identity:check-address")
            return redirect("identity:check-document")
        return _question(request, STEP_TITLES["document-type"], form, status=400, heading_in_form=True)
    return _question(request, STEP_TITLES["document-type"], form, heading_in_form=True)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_document(request: HttpRequest) -> HttpResponse:
    case = _editable_case(request)
    if case is None or case.document_type not in ("passport", "driving_licence"):
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
        request.POST if request.method == "POST" else None, initial=initial, passport=case.document_type == "passport"
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
        return _question(request, STEP_TITLES["document"], form, status=400)
    return _question(request, STEP_TITLES["document"], form)


def _photo_step(request: HttpRequest, *, kind: str, step: str, next_url: str) -> HttpResponse:
    case = _editable_case(request)
    if case is None:
        return redirect("identity:check")
    form = PhotoForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                cases.attach_image(case=case, kind=kind, upload=form.cleaned_data["photo"])
            except UploadRejected as rejected:
                form.add_error("photo", rejected.message)
            else:
                return redirect(next_url)
        return _question(request, STEP_TITLES[step], form, status=400)
    return _question(request, STEP_TITLES[step], form)


@citizen_required
@require_http_methods(["GET", "POST"])
def check_document_photo(request: HttpRequest) -> HttpResponse:
    return _photo_step(
        request, kind="identity_document", step="document-photo", next_url=reverse("identity:check-address")
    )


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
    if case is not None and case.status in case.OPEN_STATUSES:
        cases.submit_case(case=case)
    return redirect("identity:check")


@citizen_required
def my_evidence_image(request: HttpRequest, image_id: int) -> HttpResponse:
    """A person sees their own photos only."""
    image = get_object_or_404(EvidenceImage, pk=image_id, case__person=request.user, deleted_at__isnull=True)
    return _image_response(image)


def _image_response(image: EvidenceImage) -> HttpResponse:
    if not image.file:
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# --- Registrar: identity queue ----------------------------------------------------------------------------


@staff_required("identity.work_cases")
def staff_identity_queue(request: HttpRequest) -> HttpResponse:
    offices = RegisterOffice.objects.order_by("name")
    form = QueueFilterForm(request.GET or None, offices=offices)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.identity_queue(
        office_code=filters.get("office") or "",
        reason=filters.get("reason") or "",
        older_than_days=filters.get("older_than_days"),
    )
    record_audit(
        actor=request.user,
        action="identity_queue.viewed",
        detail={k: v for k, v in filters.items() if v not in ("", None)},
        client_address=client_address(request),
    )
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "identity/staff_queue.html",
        {"form": form, "page": page, "reason_labels": checks.REASONS},
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _staff_case(request: HttpRequest, reference: str) -> IdentityCase:
    return get_object_or_404(IdentityCase.objects.select_related("person", "office"), reference=reference)


@staff_required("identity.work_cases")
@require_http_methods(["GET", "POST"])
def staff_identity_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = _staff_case(request, reference)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                cases.decide_case(
                    case=case,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    client_address=client_address(request),
                )
            except cases.DecisionRefused as refused:
                messages_by_reason = {
                    "own_case": _("You cannot decide your own identity case"),
                    "not_with_registrar": _("This case has already been decided"),
                    "reason_required": _("Enter the reason for your decision"),
                }
                form.add_error(None, messages_by_reason[str(refused)])
                status = 403 if str(refused) == "own_case" else 409
            else:
                return redirect("identity:staff-identity-queue")
    else:
        record_audit(
            actor=request.user,
            action="identity_case.viewed",
            subject=case.person,
            object_type="identity_case",
            object_id=case.reference,
            client_address=client_address(request),
        )
    context = {
        "case": case,
        "form": form,
        "images": case.images.filter(deleted_at__isnull=True),
        "reasons": [(code, checks.REASONS.get(code, "")) for code in case.reasons],
        "decisions": case.decisions.select_related("decided_by"),
    }
    return render(request, "identity/staff_case.html", context, status=status)


@staff_required("identity.work_cases")
def staff_evidence_image(request: HttpRequest, reference: str, image_id: int) -> HttpResponse:
    case = _staff_case(request, reference)
    image = get_object_or_404(EvidenceImage, pk=image_id, case=case, deleted_at__isnull=True)
    record_audit(
        actor=request.user,
        action="identity_case.evidence_viewed",
        subject=case.person,
        object_type="evidence_image",
        object_id=image.pk,
        client_address=client_address(request),
    )
    return _image_response(image)
