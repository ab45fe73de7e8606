"""The staff API for taking a registration in person (`/api/v1/registrar/taken/…`): start one for
the informant at the desk, read it, answer its questions one step at a time, and record the
informant's declaration (read to and signed by them, or a code sent to them and read back).
The same services and the same forms as the staff pages (`core.forms.bind_json`), so the same
checks, refusals and words. Phone support in an assisted session (the `On-Behalf-Of` header)
takes one by phone for that person, declared by a code sent to them."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, error_body, form_errors_response
from core.client import client_address
from core.forms import bind_json

from .. import services as journey
from ..forms import FORMS
from ..models import Registration
from ..refusals import RegistrationRefused
from ..serializers import RegistrationSerializer
from ..staff_api import SIGN_IN, StaffAPIView
from . import services
from .forms import CodeForm, EventForm, InformantForm, InPersonDeclarationForm, SendCodeForm
from .selectors import WORK
from .words import declaration_words, taken_by_words

BAD = OpenApiResponse(ErrorSerializer, description="Invalid input; the error says which field and why")
REFUSED = OpenApiResponse(
    ErrorSerializer, description="Staff with the registrar's role only; a place outside your offices is refused"
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No registration with that reference that you can work, or no such question"
)
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="Already sent, not every question answered, or no code sent yet"
)
THROTTLED = OpenApiResponse(
    ErrorSerializer, description="Too many codes asked for or wrong codes entered; see Retry-After"
)
ONE = {401: SIGN_IN, 403: REFUSED, 404: NOT_FOUND}


class TakenRegistrationSerializer(RegistrationSerializer):
    taken_by = serializers.SerializerMethodField(help_text='In words: "Taken in person by Ann Smith"')
    informant_documents = serializers.CharField(read_only=True, help_text="The documents the registrar saw")
    declared = serializers.SerializerMethodField(help_text="How, by whom and when the informant declared, in words")
    code_sent = serializers.SerializerMethodField(help_text="Whether a declaration code has been sent")
    code_channels = serializers.SerializerMethodField(help_text="Where a declaration code can be sent: email, sms")

    class Meta(RegistrationSerializer.Meta):
        fields = [
            *RegistrationSerializer.Meta.fields,
            "taken_by",
            "informant_documents",
            "declared",
            "code_sent",
            "code_channels",
        ]

    def get_taken_by(self, registration) -> str:
        return taken_by_words(registration)

    def get_declared(self, registration) -> str:
        return declaration_words(registration)

    def get_code_sent(self, registration) -> bool:
        return bool((registration.answers or {}).get(services.DECLARATION_CODE))

    def get_code_channels(self, registration) -> list[str]:
        return [str(channel) for channel in services.code_destinations(registration)]


class StartSerializer(serializers.Serializer):
    """Documents the start body; it is validated by the pages' own two forms."""

    event = serializers.ChoiceField(choices=["birth", "death"])
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    mobile = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="A UK mobile number")
    documents = serializers.CharField(max_length=500, help_text="Documents seen to establish the informant's identity")


class InPersonSerializer(serializers.Serializer):
    read_and_signed = serializers.BooleanField(
        help_text="true: you read the declaration to the informant and they signed it in front of you"
    )


class CodeActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["send", "check"], help_text="send a code, or check the code read back")
    channel = serializers.ChoiceField(choices=["email", "sms"], required=False, help_text="With send")
    code = serializers.CharField(required=False, max_length=12, help_text="With check: the 6-digit code")


def _object_body(request) -> Response | None:
    if not isinstance(request.data, dict):
        return Response(error_body("invalid", "Send a JSON object."), status=status.HTTP_400_BAD_REQUEST)
    return None


class TakenAPIView(StaffAPIView):
    """Registrars, and phone support acting in an assisted session (`On-Behalf-Of`: the request
    runs as the person, and `staff` is the phone support member)."""

    permission = WORK

    def initial(self, request, *args, **kwargs):
        APIView.initial(self, request, *args, **kwargs)
        self.assisted = getattr(request, "assisted_by", None) is not None
        self.staff = request.assisted_by if self.assisted else request.user
        staff = self.staff
        if not (self.assisted or (staff.is_authenticated and staff.is_staff and staff.has_perm(WORK))):
            raise PermissionDenied("Only staff with the right role can use this.")

    def working(self, request, reference: str) -> Registration:
        registration = services.working(staff=self.staff, reference=reference)
        services.record_view(staff=self.staff, registration=registration, page="api")
        return registration

    def respond(self, registration: Registration, code: int = status.HTTP_200_OK) -> Response:
        registration = Registration.objects.select_related("district", "informant", "made_by").get(pk=registration.pk)
        return Response(TakenRegistrationSerializer(registration).data, status=code)


def _editable(registration: Registration) -> None:
    if registration.status not in Registration.EDITABLE:
        raise RegistrationRefused("not_editable")


class TakenView(TakenAPIView):
    @extend_schema(
        summary="Take a birth or death registration in person: the event, the informant and the documents seen",
        request=StartSerializer,
        responses={201: TakenRegistrationSerializer, 400: BAD, 401: SIGN_IN, 403: REFUSED},
        tags=["registrar"],
    )
    def post(self, request):
        if (bad := _object_body(request)) is not None:
            return bad
        event_form = bind_json(EventForm, request.data)
        if self.assisted:
            if not event_form.is_valid():
                return form_errors_response(event_form)
            registration = services.take_by_phone(staff=self.staff, event=event_form.cleaned_data["event"])
            return self.respond(registration, status.HTTP_201_CREATED)
        informant_form = bind_json(InformantForm, request.data)
        if not (event_form.is_valid() & informant_form.is_valid()):
            errors = {**event_form.errors, **informant_form.errors}
            fields = {name: [str(message) for message in messages] for name, messages in errors.items()}
            return Response(error_body("invalid", "Check the fields listed and try again.", fields), status=400)
        registration = services.take_in_person(
            registrar=self.staff, event=event_form.cleaned_data["event"], **informant_form.cleaned_data
        )
        return self.respond(registration, status.HTTP_201_CREATED)


class TakenRegistrationView(TakenAPIView):
    @extend_schema(
        summary="A registration you took or your office may work: status, steps, answers, declaration",
        responses={200: TakenRegistrationSerializer, **ONE},
        tags=["registrar"],
    )
    def get(self, request, reference: str):
        return self.respond(self.working(request, reference))


class TakenAnswersView(TakenAPIView):
    @extend_schema(
        summary="Save one step's answers of a registration you are taking",
        description=(
            "The body is the step's answers as a JSON object (dates as YYYY-MM-DD, yes/no as booleans), as for "
            "the citizen's `PUT /api/v1/registrar/registrations/{reference}/answers/{step}`. The same checks as "
            "the pages; a refused step saves nothing and keeps what was saved before."
        ),
        request=OpenApiTypes.OBJECT,
        responses={200: TakenRegistrationSerializer, 400: BAD, **ONE, 409: CONFLICT},
        tags=["registrar"],
    )
    def put(self, request, reference: str, step: str):
        registration = self.working(request, reference)
        journey.check_step(registration=registration, step=step)
        if (bad := _object_body(request)) is not None:
            return bad
        form = bind_json(FORMS[registration.event][step], request.data, registration=registration)
        if not form.is_valid():
            return form_errors_response(form)
        registration = services.save_step(
            staff=self.staff, registration=registration, step=step, values=form.answer_values()
        )
        return self.respond(registration)


class TakenDeclarationView(TakenAPIView):
    @extend_schema(
        summary="Record the declaration read to and signed by the informant, and register when every rule is met",
        request=InPersonSerializer,
        responses={200: TakenRegistrationSerializer, 400: BAD, **ONE, 409: CONFLICT},
        tags=["registrar"],
    )
    def post(self, request, reference: str):
        registration = self.working(request, reference)
        _editable(registration)
        if (bad := _object_body(request)) is not None:
            return bad
        form = bind_json(InPersonDeclarationForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        registration = services.declare_in_person(
            registrar=self.staff, registration=registration, read_and_signed=form.cleaned_data["read_and_signed"]
        )
        return self.respond(registration)


class TakenCodeView(TakenAPIView):
    @extend_schema(
        summary="Send the informant a declaration code, or check the code they read back (and register)",
        description=(
            '`{"action": "send", "channel": "email"}` sends a code (and a link to declare on their own device) '
            'to one of `code_channels`; `{"action": "check", "code": "123456"}` makes the declaration with it. '
            "Codes expire, lock after wrong tries and are throttled, as sign-in codes are."
        ),
        request=CodeActionSerializer,
        responses={200: TakenRegistrationSerializer, 400: BAD, **ONE, 409: CONFLICT, 429: THROTTLED},
        tags=["registrar"],
    )
    def post(self, request, reference: str):
        registration = self.working(request, reference)
        _editable(registration)
        if (bad := _object_body(request)) is not None:
            return bad
        action = CodeActionSerializer(data={"action": request.data.get("action")})
        action.is_valid(raise_exception=True)
        if action.validated_data["action"] == "send":
            destinations = services.code_destinations(registration)
            if not destinations:
                raise services.StaffRegistrationRefused("no_destination")
            form = bind_json(SendCodeForm, request.data, destinations=destinations)
            if not form.is_valid():
                return form_errors_response(form)
            registration = services.send_declaration_code(
                staff=self.staff,
                registration=registration,
                channel=form.cleaned_data["channel"],
                client_address=client_address(request),
            )
            return self.respond(registration)
        form = bind_json(CodeForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        # Not in a transaction of its own: a wrong code must stay counted.
        registration = services.declare_with_code(
            registration=registration,
            code=form.cleaned_data["code"],
            entered_by=self.staff,
            client_address=client_address(request),
        )
        return self.respond(registration)
