"""The registrar's re-registration from the entry page: a court order or statutory declaration
seen, its scan uploaded, with one parent present. Staff of the entry's office only; audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.audit import audit_request
from core.pages import add_refusal
from identity.access import staff_required
from identity.refusals import UploadRejected

from .. import case_selectors
from ..casework import CORRECT
from ..models import EntryReRegistration, Event, RegisterEntry
from . import services
from .forms import RegistrarForm
from .refusals import ReRegistrationRefused


def _entry_url(entry: RegisterEntry) -> str:
    return reverse("registrar-staff:entry", args=[entry.district.code, entry.letter, entry.year, entry.number])


@staff_required(CORRECT)
@require_http_methods(["GET", "POST"])
def reregister(request: HttpRequest, district: str, letter: str, year: int, number: int) -> HttpResponse:
    entry = case_selectors.entry_by_parts(user=request.user, district=district, letter=letter, year=year, number=number)
    if entry is None or entry.event != Event.BIRTH:
        raise Http404
    mark = EntryReRegistration.objects.select_related("new_entry__district").filter(original=entry).first()
    form = RegistrarForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    status = 200
    if request.method == "POST" and mark is None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                reregistration = services.registrar_reregister(
                    actor=request.user,
                    entry=entry,
                    reason=data["reason"],
                    parent_present=data["parent_present"],
                    data=data,
                    evidence=data["evidence"],
                    scan=data["scan"],
                )
            except UploadRejected as refused:
                add_refusal(form, refused, "scan")
                status = refused.status
            except ReRegistrationRefused as refused:
                add_refusal(form, refused)
                status = refused.status
            else:
                return redirect(_entry_url(reregistration.new_entry) + "?reregistered=1")
        else:
            status = 400
    elif request.method == "GET":
        audit_request(
            request,
            action="reregistration.form_viewed",
            object_type="register_entry",
            object_id=entry.pk,
            entry=entry.entry_reference,
        )
    else:
        status = 409
    return render(
        request,
        "registrar/reregistration/staff_reregister.html",
        {"entry": entry, "form": form, "mark": mark, "entry_url": _entry_url(entry)},
        status=status,
    )
