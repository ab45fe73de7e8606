"""The re-registration API (`/api/v1/registrar/re-registrations…`): the parent named on a birth
entry starts a re-registration, gives the new particulars and confirms them; the other parent,
with the token from their emailed link, confirms or declines. The pages' own forms (bound with
`core.forms.bind_json`), services and refusals; anyone else's re-registration is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from ..api import ERROR, SIGN_IN
from ..models import ReRegistration, ReRegistrationReason
from . import selectors, services
from .forms import ConfirmForm, DeclineForm, DetailsForm, OtherParentConfirmForm, StartForm
from .refusals import ReRegistrationRefused

TAGS = ["re-registration"]
OWN = {401: SIGN_IN, 403: ERROR, 404: ERROR}


class ReRegistrationSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ReRegistration.Status.choices)
    reason = serializers.ChoiceField(choices=ReRegistrationReason.choices)
    original = serializers.CharField(source="original.entry_reference", help_text="The entry being re-registered")
    new_entry = serializers.SerializerMethodField(help_text="The new entry, once re-registered")
    marriage_entry = serializers.SerializerMethodField(help_text="The parents' marriage found in the register")
    particulars = serializers.DictField(help_text="The new particulars given")
    other_parent_email = serializers.EmailField(allow_blank=True)
    late_after_marriage = serializers.SerializerMethodField(
        help_text="Later than REREGISTRATION_AFTER_MARRIAGE_MONTHS after the marriage (allowed)"
    )
    next_step = serializers.SerializerMethodField(help_text="details, confirm, other_parent, or null when finished")

    def get_new_entry(self, obj) -> str | None:
        return obj.new_entry.entry_reference if obj.new_entry_id else None

    def get_marriage_entry(self, obj) -> str | None:
        return obj.marriage_entry.entry_reference if obj.marriage_entry_id else None

    def get_late_after_marriage(self, obj) -> bool:
        return services.late_after_marriage(obj)

    def get_next_step(self, obj) -> str | None:
        if obj.status == ReRegistration.Status.DRAFT:
            return "confirm" if services.has_details(obj) else "details"
        if obj.status == ReRegistration.Status.AWAITING_OTHER_PARENT:
            return "other_parent"
        return None


StartRequest = inline_serializer(
    "ReRegistrationStart",
    {
        "entry": serializers.CharField(help_text="The birth entry's reference, e.g. E-LEEDS/B/2026/000012"),
        "reason": serializers.ChoiceField(choices=[ReRegistrationReason.LEGITIMATION, ReRegistrationReason.ADD_PARENT]),
    },
)
DetailsRequest = inline_serializer(
    "ReRegistrationDetails",
    {
        "father_forenames": serializers.CharField(),
        "father_surname": serializers.CharField(),
        "father_place_of_birth": serializers.CharField(),
        "father_occupation": serializers.CharField(required=False),
        "child_surname": serializers.CharField(required=False, help_text="Blank keeps the surname in the entry"),
        "married_on": serializers.DateField(
            required=False, help_text="Legitimation, when the register holds no single marriage of both parents"
        ),
        "marriage_place": serializers.CharField(required=False),
        "other_parent_email": serializers.EmailField(),
    },
)
ConfirmRequest = inline_serializer("ReRegistrationConfirm", {"confirmed": serializers.BooleanField()})
InvitationRequest = inline_serializer(
    "ReRegistrationInvitationConfirm",
    {"token": serializers.CharField(help_text="From the emailed link"), "confirmed": serializers.BooleanField()},
)
DeclineRequest = inline_serializer(
    "ReRegistrationInvitationDecline",
    {"token": serializers.CharField(help_text="From the emailed link"), "reason": serializers.CharField()},
)


class CitizenView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff re-register births through the staff pages.")

    def own(self, request, reference: str) -> ReRegistration:
        found = selectors.own_reregistration(request.user, reference)
        if found is None:
            raise NotFound(ReRegistrationRefused("rr_not_found").message)
        return found

    def respond(self, reregistration: ReRegistration, code: int = status.HTTP_200_OK) -> Response:
        fresh = ReRegistration.objects.select_related("original__district", "new_entry__district", "marriage_entry")
        return Response(ReRegistrationSerializer(fresh.get(pk=reregistration.pk)).data, status=code)

    def bound(self, request, form_class, **kwargs):
        if not isinstance(request.data, dict):
            return None, Response(error_body("invalid", "Send a JSON object."), status=400)
        form = bind_json(form_class, request.data, **kwargs)
        if not form.is_valid():
            return None, form_errors_response(form)
        return form, None


class ReRegistrationsView(CitizenView):
    @extend_schema(
        summary="Your re-registrations",
        responses={200: ReRegistrationSerializer(many=True), 401: SIGN_IN, 403: ERROR},
        tags=TAGS,
    )
    def get(self, request):
        return Response(ReRegistrationSerializer(selectors.reregistrations_of(request.user), many=True).data)

    @extend_schema(
        summary="Start re-registering a birth you are named on as a parent",
        description="Your identity must be verified (medium confidence). One open re-registration per entry.",
        request=StartRequest,
        responses={201: ReRegistrationSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request):
        form, error = self.bound(request, StartForm)
        if error:
            return error
        entry = selectors.entry_by_reference(form.cleaned_data["entry"])
        if entry is None or not selectors.may_start(request.user, entry):
            raise NotFound(ReRegistrationRefused("rr_not_found").message)
        reregistration = services.start(person=request.user, entry=entry, reason=form.cleaned_data["reason"])
        return self.respond(reregistration, status.HTTP_201_CREATED)


class ReRegistrationView(CitizenView):
    @extend_schema(summary="One of your re-registrations", responses={200: ReRegistrationSerializer, **OWN}, tags=TAGS)
    def get(self, request, reference: str):
        return self.respond(self.own(request, reference))


class DetailsView(CitizenView):
    @extend_schema(
        summary="Give the new particulars",
        description=(
            "For legitimation the parents' marriage is linked when exactly one entry of the register matches both; "
            "otherwise `married_on` and `marriage_place` are needed (400)."
        ),
        request=DetailsRequest,
        responses={200: ReRegistrationSerializer, 400: ERROR, **OWN, 409: ERROR},
        tags=TAGS,
    )
    def put(self, request, reference: str):
        reregistration = self.own(request, reference)
        legitimation = reregistration.reason == ReRegistrationReason.LEGITIMATION
        form, error = self.bound(request, DetailsForm, legitimation=legitimation)
        if error:
            return error
        services.save_details(reregistration=reregistration, person=request.user, data=form.cleaned_data)
        return self.respond(reregistration)


class ConfirmView(CitizenView):
    @extend_schema(
        summary="Confirm the new particulars; the other parent is emailed a link",
        request=ConfirmRequest,
        responses={200: ReRegistrationSerializer, 400: ERROR, **OWN, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        reregistration = self.own(request, reference)
        form, error = self.bound(request, ConfirmForm)
        if error:
            return error
        services.confirm_and_invite(reregistration=reregistration, person=request.user)
        return self.respond(reregistration)


class InvitationConfirmView(CitizenView):
    @extend_schema(
        summary="As the other parent, confirm: the birth is re-registered",
        description="Your identity must be verified (medium confidence); the new entry is written now.",
        request=InvitationRequest,
        responses={200: ReRegistrationSerializer, 400: ERROR, **OWN, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request):
        form, error = self.bound(request, OtherParentConfirmForm)
        if error:
            return error
        reregistration = services.reregistration_for_token(str(request.data.get("token") or ""))
        done = services.confirm_as_other_parent(reregistration=reregistration, person=request.user)
        return self.respond(done)


class InvitationDeclineView(CitizenView):
    @extend_schema(
        summary="As the other parent, say the particulars are wrong",
        request=DeclineRequest,
        responses={200: ReRegistrationSerializer, 400: ERROR, **OWN, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request):
        form, error = self.bound(request, DeclineForm)
        if error:
            return error
        reregistration = services.reregistration_for_token(str(request.data.get("token") or ""))
        if not selectors.identity_verified(request.user):
            raise ReRegistrationRefused("rr_identity_not_verified")
        done = services.decline_as_other_parent(
            reregistration=reregistration, person=request.user, reason=form.cleaned_data["reason"]
        )
        return self.respond(done)
