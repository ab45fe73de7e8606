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
from core.pages import refusal_page
from identity.access import citizen_required, staff_required
from identity.selectors import has_medium_confidence

from . import selectors, services
from .forms import ClientServiceForm, DisableClientForm
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
    return render(request, "identity/oidc/staff_client.html", {"service": service, "form": _disable_form(service)})


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
        return render(request, "identity/oidc/staff_client.html", {"service": service, "form": form}, status=400)
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
