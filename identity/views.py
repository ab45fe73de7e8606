"""Pages for signing in (citizens by emailed code, staff by password and authenticator app),
the account page, mobile number verification, the staff home page and the development outbox.
The identity check's pages are in `check_views`, the registrar's identity queue in `queue_views`."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.client import client_address
from core.languages import set_language_cookie
from core.pages import add_refusal

from . import selectors, services
from .access import STAFF_VERIFIED_SESSION_KEY, citizen_required, staff_required
from .forms import AuthenticatorCodeForm, CodeForm, EmailForm, LanguageForm, MobileForm, StaffPasswordForm
from .models import StaffAuthenticator, User
from .oidc.selectors import authorize_params, requested_language, service_asking

SIGN_IN_EMAIL_KEY = "sign_in_email"
SIGN_IN_NEXT_KEY = "sign_in_next"
STAFF_PENDING_KEY = "staff_pending_user"


def _safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


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
            add_refusal(form, throttled, "email")
            return render(request, "identity/sign_in.html", _sign_in_context(request, form), status=throttled.status)
        request.session[SIGN_IN_EMAIL_KEY] = email
        request.session[SIGN_IN_NEXT_KEY] = _safe_next(request, request.GET.get("next"), reverse("identity:account"))
        return redirect("identity:sign-in-code")
    return render(request, "identity/sign_in.html", _sign_in_context(request, form), status=400 if form.errors else 200)


def _sign_in_context(request: HttpRequest, form: EmailForm) -> dict:
    # Signing in for another service (OpenID Connect): say which, so the person knows where they
    # go, in the language the service asked for.
    next_url = _safe_next(request, request.GET.get("next"), "")
    language = requested_language(authorize_params(next_url).get("ui_locales"))
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return {"form": form, "for_service": service_asking(next_url)}


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
            except (services.CodeRejected, services.SignInRefused) as refused:
                add_refusal(form, refused, "code")
                status = refused.status
            else:
                next_url = request.session.get(SIGN_IN_NEXT_KEY) or reverse("identity:account")
                login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
                return _carry_language(request, result.user, redirect(next_url))
    context = {"form": form, "email": email, "minutes": settings.OTP_EMAIL_LIFETIME_MINUTES}
    return render(request, "identity/sign_in_code.html", context, status=status)


def _carry_language(request: HttpRequest, user: User, response: HttpResponse) -> HttpResponse:
    """The latest explicit choice wins: a language chosen before signing in (the cookie) is
    remembered on the account; with none, the pages follow the account's language."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        services.set_language(user=user, language=chosen)
        return response
    return set_language_cookie(response, user.language)


@citizen_required
@require_http_methods(["GET", "POST"])
def language(request: HttpRequest) -> HttpResponse:
    """The account page's "Language for emails, texts and letters"."""
    form = LanguageForm(request.POST if request.method == "POST" else None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        if getattr(request, "assisted_by", None) is not None:
            raise PermissionDenied  # the person's own choice, never phone support's for them
        services.set_language(user=request.user, language=form.cleaned_data["language"])
        return set_language_cookie(
            redirect(reverse("identity:account") + "?language=saved"), form.cleaned_data["language"]
        )
    return render(request, "identity/language.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def resend_sign_in_code(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGN_IN_EMAIL_KEY)
    if not email:
        return redirect("identity:sign-in")
    try:
        services.request_sign_in_code(email=email, client_address=client_address(request))
    except services.CodeThrottled as throttled:
        context = {
            "form": CodeForm(),
            "email": email,
            "minutes": settings.OTP_EMAIL_LIFETIME_MINUTES,
            "resend_error": throttled.message,
        }
        return render(request, "identity/sign_in_code.html", context, status=throttled.status)
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
            add_refusal(form, throttled, "mobile_number")
            return render(request, "identity/mobile.html", {"form": form}, status=throttled.status)
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
                add_refusal(form, rejected, "code")
                status = rejected.status
            else:
                return redirect(reverse("identity:account") + "?mobile=verified")
    context = {"form": form, "minutes": settings.OTP_SMS_LIFETIME_MINUTES}
    return render(request, "identity/mobile_code.html", context, status=status)


# --- Staff -----------------------------------------------------------------------------------------


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
            add_refusal(form, refused)
            return render(request, "identity/staff_sign_in.html", {"form": form}, status=refused.status)
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
    request: HttpRequest, user: User, *, confirming: bool
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
            add_refusal(form, refused, "code")
            return form, refused.status, None
        return form, 302, _complete_staff_sign_in(request, user)
    return form, 400, None


@require_http_methods(["GET", "POST"])
def staff_code(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        return redirect("identity:staff-sign-in")
    form, status, done = _authenticator_step(request, user, confirming=False)
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
    form, status, done = _authenticator_step(request, user, confirming=True)
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
