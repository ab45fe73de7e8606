"""Secret calendar feeds of an office's or an officer's diary: creating, revoking and serving them."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import add_refusal
from identity.models import RegisterOffice

from .. import selectors, services
from ..calendar import diary_ics
from ..refusals import BookingRefused
from ..staff_forms import FeedForm
from .office import office_page, office_refusal


def _feed_form(office: RegisterOffice, data=None) -> FeedForm:
    return FeedForm(
        data,
        office=office,
        officers=selectors.office_officers(office_id=office.pk),
        action=reverse("booking-staff:feeds", args=[office.code]),
    )


@office_page()
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest, office: RegisterOffice) -> HttpResponse:
    form = _feed_form(office, request.POST if request.method == "POST" else None)
    status, new_url = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _feed, token = services.create_calendar_feed(actor=request.user, office=office, officer=form.officer())
            except BookingRefused as refused:
                add_refusal(form, refused)
            else:
                new_url = request.build_absolute_uri(reverse("booking-staff:feed", args=[token]))
                status = 201
                form = _feed_form(office)
    return render(
        request,
        "booking/staff/feeds.html",
        {"office": office, "form": form, "feeds": selectors.office_feeds(office), "new_url": new_url},
        status=status,
    )


@office_page()
@require_POST
def revoke_feed(request: HttpRequest, office: RegisterOffice, pk: int) -> HttpResponse:
    feed = get_object_or_404(selectors.office_feeds(office), pk=pk)
    try:
        services.revoke_calendar_feed(feed=feed, office=office, actor=request.user)
    except BookingRefused as refused:
        return office_refusal(request, office, _("Calendar feeds"), refused)
    flash.success(request, _("Calendar feed revoked. Its address no longer works."))
    return redirect("booking-staff:feeds", office.code)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret URL is the credential: calendar apps cannot sign in. Unknown and revoked
    tokens look the same."""
    calendar_feed = selectors.feed_for_token(token)
    if calendar_feed is None:
        raise Http404
    if calendar_feed.office is not None:
        name = calendar_feed.office.name
        bookings = selectors.feed_bookings(office_id=calendar_feed.office_id)
    else:
        name = calendar_feed.officer.full_name or calendar_feed.officer.email
        bookings = selectors.feed_bookings(officer_id=calendar_feed.officer_id)
    response = HttpResponse(diary_ics(name, bookings), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
