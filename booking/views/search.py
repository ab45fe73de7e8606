"""The start page and the search of the national calendar, with its pages of results; the same
search serves moving a booking, identity appointments and a notice interview."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.private_search import private_search
from core.replica import reads_may_lag

from .. import forms, selectors
from ..forms import SearchForm
from ..models import Booking


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/start.html")


# Result pages of one search: "Show later times" pages on through the same search, up to the
# most results a search may ask for.
RESULT_PAGES = forms.MAX_RESULTS // forms.DEFAULT_RESULTS


def _result_page(value: str | None) -> int:
    """Any page number is harmless: nonsense shows the first page, beyond the last the last."""
    try:
        return max(1, min(int(value or 1), RESULT_PAGES))
    except ValueError:
        return 1


def _search_page(
    request: HttpRequest,
    *,
    kind: str,
    name: str,
    template_context: dict,
    extra_search: dict | None = None,
    by_place: bool | None = None,
):
    """The search form and its results. A postcode or town is personal: the search is posted,
    and its results shown and paged at a token URL (`core.private_search`)."""
    search = private_search(request, name)
    initial = {"order": "date", "venue_kind": ""}
    form = SearchForm(search.data, kind=kind, initial=initial, by_place=by_place)
    slots = None
    status = 200
    page = _result_page(request.GET.get("page"))
    more = False
    if search.data is not None:
        if form.is_valid():
            if search.posted:
                return search.redirect_to_results()
            # One more than the page shows, to know whether later times follow.
            shown = page * forms.DEFAULT_RESULTS
            found = selectors.find_slots(form.search(**(extra_search or {}) | {"limit": shown + 1}))
            more = len(found) > shown and page < RESULT_PAGES
            slots = found[shown - forms.DEFAULT_RESULTS : shown]
        else:
            status = 400
    first, last = selectors.bookable_dates(kind)
    context = {
        "form": form,
        "slots": slots,
        "kind": kind,
        "first_bookable": first,
        "last_bookable": last,
        "guests": form.cleaned_data.get("guests") if form.is_bound and form.is_valid() else 0,
        "search_expired": search.expired,
        **template_context,
    }
    if slots is not None:
        if more:
            context["later_url"] = search.page_url(page + 1)
        if page > 1:
            context["earlier_url"] = search.page_url(page - 1)
    return render(request, "booking/search.html", context, status=status)


@reads_may_lag
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        kind=Booking.Kind.CEREMONY,
        name="booking-ceremonies",
        template_context={"choose_url": reverse("booking:hold"), "heading": _("Find a ceremony date and venue")},
    )
