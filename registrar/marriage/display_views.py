"""The public notices page (no sign-in): choose a registration district, read the notices on
display there (name, condition, intended venue and district only), and object to one."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.client import client_address
from core.pages import add_refusal, refusal_page
from core.replica import reads_may_lag

from . import display_selectors, objection_services
from .display_forms import DistrictForm
from .objection_forms import ObjectionForm
from .refusals import MarriageRefused

SENT_SESSION_KEY = "objection_sent"
PROBLEM_TITLE = _("This notice is not on display")


@reads_may_lag
@require_GET
def notices_list(request: HttpRequest) -> HttpResponse:
    districts = list(display_selectors.districts())
    asked = "district" in request.GET
    form = DistrictForm(request.GET if asked else None, districts=districts)
    form.helper.form_method = "get"
    form.helper.form_action = reverse("notices:list")
    context = {"form": form, "district": None, "page": None, "query": "", "display_days": settings.NOTICE_DISPLAY_DAYS}
    if asked and form.is_valid():
        district = next(d for d in districts if d.code == form.cleaned_data["district"])
        notices = display_selectors.displayed_in(district=district, today=timezone.localdate())
        page = Paginator(notices, settings.NOTICES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            district=district,
            page=page,
            rows=[display_selectors.public(notice) for notice in page],
            query=f"district={district.code}",
        )
    return render(request, "registrar/marriage/display/list.html", context, status=400 if form.errors else 200)


def _not_displayed(request: HttpRequest, refused: MarriageRefused) -> HttpResponse:
    return refusal_page(request, refused, back=reverse("notices:list"), title=PROBLEM_TITLE)


@reads_may_lag
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, reference: str) -> HttpResponse:
    found = display_selectors.displayed_notice(reference=reference, today=timezone.localdate())
    if found is None:
        return _not_displayed(request, MarriageRefused("notice_not_displayed"))
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    form.helper.form_action = reverse("notices:notice", args=[found.reference])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                objection = objection_services.raise_objection(
                    notice_reference=found.reference, client_address=client_address(request), **form.cleaned_data
                )
            except MarriageRefused as refused:
                if refused.code == "notice_not_displayed":
                    return _not_displayed(request, refused)
                add_refusal(form, refused)
                response = _notice_page(request, found, form, status=refused.status)
                if refused.retry_after is not None:
                    response["Retry-After"] = str(refused.retry_after)
                return response
            request.session[SENT_SESSION_KEY] = objection.reference
            return redirect("notices:objection-sent")
    return _notice_page(request, found, form, status=status)


def _notice_page(request: HttpRequest, found, form: ObjectionForm, *, status: int) -> HttpResponse:
    context = {"notice": display_selectors.public(found), "form": form, "district_code": _district_code(found)}
    return render(request, "registrar/marriage/display/notice.html", context, status=status)


def _district_code(found) -> str:
    return found.office.code if found.office else found.proposal.district.code


@require_GET
def objection_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SENT_SESSION_KEY)
    if not reference:
        return redirect("notices:list")
    return render(request, "registrar/marriage/objection/sent.html", {"reference": reference})
