"""Certified copies of still-birth entries (/certificates/stillbirth/): the register of
still-births is private, so its entries are not in the public index; the parents named in an
entry order their copies here instead, through the same order journey as any certificate."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pages import refusal_page
from identity.access import citizen_required
from registrar.models import Event, RegisterEntry
from registrar.stillbirth.selectors import entries_for_parent

from .models import CertificateKind
from .refusals import OrderRefused
from .services import start_order


@citizen_required
@require_http_methods(["GET", "POST"])
def copies(request: HttpRequest) -> HttpResponse:
    """The still-birth entries the person is a parent in, each with a button to order a copy.
    The rule itself is the certificates service's (start_order refuses anyone else)."""
    entries = entries_for_parent(request.user)
    if request.method == "POST":
        entry = get_object_or_404(
            RegisterEntry.objects.select_related("district", "registration"),
            pk=request.POST.get("entry") if str(request.POST.get("entry", "")).isdigit() else None,
            event=Event.STILLBIRTH,
        )
        try:
            order = start_order(person=request.user, entry=entry, kind=CertificateKind.STILLBIRTH, copies=1)
        except OrderRefused as refused:
            return refusal_page(
                request,
                refused,
                back=reverse("certificates:stillbirth-copies"),
                title=_("You cannot order a copy of this entry"),
                back_label=_("Go back"),
            )
        return redirect("certificates:certificate", reference=order.reference)
    return render(request, "certificates/stillbirth_copies.html", {"entries": entries})
