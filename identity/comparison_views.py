"""The registrar's page for a live comparison: the details the person gave, the comparisons made
so far, and the form in words for what the registrar saw (by video call or in person). Reached
from the staff case page and from the day's identity appointments in the booking diary; the
rules are `comparison.record_trained_comparison`'s."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.audit import audit_request
from core.client import client_address
from core.forms import GovukForm
from core.pages import add_refusal, refusal_page

from . import comparison, selectors
from .access import staff_required
from .models import IdentityCase
from .refusals import ComparisonRefused

TITLE = gettext_lazy("Compare the person with their document")
# Which question of the form a refusal of the service is about.
REFUSAL_FIELDS = {
    "unknown_method": "method",
    "observations_required": "observations",
    "observations_too_long": "observations",
}
CONFIRMED = [
    ("face_matches", gettext_lazy("The person's face matches the photo on the document")),
    ("details_match", gettext_lazy("The details on the document match the details given")),
    ("document_inspected", gettext_lazy("I checked the document's visible security features")),
]


class ComparisonForm(GovukForm):
    """What the registrar saw, in words; the service checks it again and decides the outcome."""

    submit_label = gettext_lazy("Record what you saw")

    method = forms.ChoiceField(
        label=gettext_lazy("How did you see the person?"),
        choices=[("video", gettext_lazy("By video call")), ("in_person", gettext_lazy("In person"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select how you saw the person: by video call or in person"),
            "invalid_choice": gettext_lazy("Select how you saw the person: by video call or in person"),
        },
    )
    confirmed = forms.MultipleChoiceField(
        label=gettext_lazy("What is true?"),
        help_text=gettext_lazy(
            "Select each statement that is true. Leave it unticked if it is not, or you could not tell."
        ),
        choices=CONFIRMED,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    observations = forms.CharField(
        label=gettext_lazy("What you saw"),
        help_text=gettext_lazy(
            "Needed when anything does not match or you could not check it. The person does not see this."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def layout_fields(self) -> list:
        return [
            Field.radios("method", legend_size=Size.MEDIUM, inline=True),
            Field.checkboxes("confirmed", legend_size=Size.MEDIUM),
            Field.textarea("observations"),
        ]


def _case_or_refusal(request: HttpRequest, reference: str) -> IdentityCase | HttpResponse:
    case = IdentityCase.objects.select_related("person", "office").filter(reference=reference).first()
    # An unknown reference reads as another office's: a reference reveals nothing.
    refusal = "other_office" if case is None else comparison.comparison_refusal(case=case, user=request.user)
    if refusal:
        return refusal_page(
            request, ComparisonRefused(refusal), back=reverse("identity:staff-identity-queue"), title=TITLE
        )
    return case


@staff_required(selectors.WORK_CASES)
@require_http_methods(["GET", "POST"])
def staff_compare(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_refusal(request, reference)
    if isinstance(case, HttpResponse):
        return case
    initial_method = request.GET.get("method")
    form = ComparisonForm(
        request.POST if request.method == "POST" else None,
        initial={"method": initial_method if initial_method in comparison.METHODS else None},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            confirmed = set(form.cleaned_data["confirmed"])
            try:
                comparison.record_trained_comparison(
                    case=case,
                    actor=request.user,
                    method=form.cleaned_data["method"],
                    face_matches="face_matches" in confirmed,
                    details_match="details_match" in confirmed,
                    document_inspected="document_inspected" in confirmed,
                    observations=form.cleaned_data["observations"],
                    client_address=client_address(request),
                )
            except ComparisonRefused as refused:
                add_refusal(form, refused, REFUSAL_FIELDS.get(refused.code))
                status = refused.status
            else:
                case.refresh_from_db()
                flash.success(
                    request,
                    _("What you saw is recorded. The identity check is now: %(status)s")
                    % {"status": case.get_status_display()},
                )
                return redirect("identity:staff-identity-compare", reference=case.reference)
    else:
        audit_request(
            request,
            action="identity_case.comparison_viewed",
            subject=case.person,
            object_type="identity_case",
            object_id=case.reference,
        )
    return render(
        request,
        "identity/staff_compare.html",
        {
            "case": case,
            "form": form,
            "open": case.status in IdentityCase.OPEN_STATUSES,
            "comparisons": comparison.comparisons_of(case),
            "sees_case_page": selectors.identity_case_for(user=request.user, reference=case.reference) is not None,
        },
        status=status,
    )
