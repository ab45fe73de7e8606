"""The person's and the service admins' pages: "you need to prove your identity first", the
account page "Services that use your identity" with stopping sharing, and the staff pages that
register client services (secrets shown once)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.client import client_address
from core.pages import add_refusal, refusal_page
from identity.access import citizen_required, staff_required
from identity.selectors import has_medium_confidence

from . import selectors, services
from .forms import ClientLogoForm, ClientServiceForm, DisableClientForm
from .models import ServiceClient
from .provider_views import RESUME_SESSION_KEY
from .refusals import SharingRefused


@citizen_required
def identity_needed(request: HttpRequest) -> HttpResponse:
    """A service asked for a checked identity; the person proves it, then carries on."""
    resume = request.session.get(RESUME_SESSION_KEY)
    if resume and has_medium_confidence(request.user):
        return redirect(resume)
    return render(request, "identity/oidc/identity_needed.html", {"resume": resume})


@citizen_required
def services_page(request: HttpRequest) -> HttpResponse:
    context = {"rows": selectors.sharing_for(person=request.user), "resume": request.session.get(RESUME_SESSION_KEY)}
    return render(request, "identity/oidc/services.html", context)


@citizen_required
@require_POST
def stop_sharing(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(ServiceClient, pk=service_id)
    try:
        services.stop_sharing(person=request.user, service=service, client_address=client_address(request))
    except SharingRefused as refused:
        return refusal_page(request, refused, back=reverse("oidc:services"))
    return redirect(reverse("oidc:services") + "?stopped=1")


@staff_required(services.MANAGE_PERMISSION)
def staff_clients(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/oidc/staff_clients.html", {"clients": selectors.registered_clients()})


@never_cache
@staff_required(services.MANAGE_PERMISSION)
@require_http_methods(["GET", "POST"])
def staff_register(request: HttpRequest) -> HttpResponse:
    form = ClientServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registered = services.register_client(
            actor=request.user,
            name=data["name"],
            redirect_uris=data["redirect_uris"],
            post_logout_redirect_uris=data["post_logout_redirect_uris"],
            contact_email=data["contact_email"],
            allowed_scopes=data["allowed_scopes"],
            sector=data["sector"],
            client_address=client_address(request),
        )
        return _secret_page(request, registered)
    return render(request, "identity/oidc/staff_register.html", {"form": form}, status=400 if form.errors else 200)


def _secret_page(request: HttpRequest, registered: services.RegisteredClient) -> HttpResponse:
    # Shown once: the views are never_cache (no-store) and the secret is stored only as a hash.
    response = render(
        request,
        "identity/oidc/staff_secret.html",
        {"service": registered.service, "client_secret": registered.client_secret},
    )
    return response


def _client_or_404(client_id: int) -> ServiceClient:
    service = selectors.registered_clients().filter(pk=client_id).first()
    if service is None:
        raise Http404
    return service


@staff_required(services.MANAGE_PERMISSION)
def staff_client(request: HttpRequest, client_id: int) -> HttpResponse:
    service = _client_or_404(client_id)
    return _client_page(request, service)


def _client_page(request: HttpRequest, service: ServiceClient, *, status: int = 200, **forms) -> HttpResponse:
    context = {
        "service": service,
        "form": forms.get("form") or _disable_form(service),
        "logo_form": forms.get("logo_form") or _logo_form(service),
        "logo_saved": request.GET.get("logo") == "saved",
    }
    return render(request, "identity/oidc/staff_client.html", context, status=status)


def _logo_form(service: ServiceClient, data=None, files=None) -> ClientLogoForm:
    form = ClientLogoForm(data, files, initial={"show_logo": service.show_logo})
    form.helper.form_action = reverse("oidc-staff:logo", args=[service.pk])
    return form


@staff_required(services.MANAGE_PERMISSION)
@require_POST
def staff_logo(request: HttpRequest, client_id: int) -> HttpResponse:
    service = _client_or_404(client_id)
    form = _logo_form(service, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_client_logo(
                actor=request.user,
                service=service,
                upload=form.cleaned_data.get("logo"),
                show=form.cleaned_data["show_logo"],
                client_address=client_address(request),
            )
        except SharingRefused as refused:
            add_refusal(form, refused, "show_logo" if refused.code == "logo_missing" else "logo")
            return _client_page(request, service, status=refused.status, logo_form=form)
        return redirect(reverse("oidc-staff:client", args=[service.pk]) + "?logo=saved")
    return _client_page(request, service, status=400, logo_form=form)


def service_logo(request: HttpRequest, service_id: int) -> HttpResponse:
    """A service's logo, for the consent and sign-in pages: only while it is switched on."""
    service = ServiceClient.objects.filter(pk=service_id, show_logo=True, disabled_at__isnull=True).first()
    if service is None or not service.logo:
        raise Http404
    response = HttpResponse(bytes(service.logo), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _disable_form(service: ServiceClient, data=None) -> DisableClientForm:
    form = DisableClientForm(data)
    form.helper.form_action = reverse("oidc-staff:disable", args=[service.pk])
    return form


@never_cache
@staff_required(services.MANAGE_PERMISSION)
@require_POST
def staff_new_secret(request: HttpRequest, client_id: int) -> HttpResponse:
    service = _client_or_404(client_id)
    registered = services.new_client_secret(actor=request.user, service=service, client_address=client_address(request))
    return _secret_page(request, registered)


@staff_required(services.MANAGE_PERMISSION)
@require_POST
def staff_disable(request: HttpRequest, client_id: int) -> HttpResponse:
    service = _client_or_404(client_id)
    form = _disable_form(service, request.POST)
    if not form.is_valid():
        return _client_page(request, service, status=400, form=form)
    try:
        services.disable_client(
            actor=request.user,
            service=service,
            reason=form.cleaned_data["reason"],
            client_address=client_address(request),
        )
    except SharingRefused as refused:
        return refusal_page(request, refused, back=request.path)
    return redirect("oidc-staff:client", client_id=service.pk)
