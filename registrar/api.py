"""The registration API (`/api/v1/registrar/…`): medical examiners send medical certificates of
cause of death and the coroner's release; citizens start, answer, send and follow their own
registrations, through the same forms and services as the pages."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from . import services
from .forms import FORMS
from .models import MedicalCertificate, Registration
from .refusals import RegistrationRefused
from .serializers import (
    CoronerReleaseSerializer,
    MedicalCertificateRequestSerializer,
    MedicalCertificateSerializer,
    NewRegistrationSerializer,
    RegistrationSerializer,
    SubmitSerializer,
)

ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='The error body: `{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`',
)
SIGN_IN = OpenApiResponse(OpenApiTypes.OBJECT, description="Not signed in: send `Authorization: Bearer <token>`")


class SendsMedicalCertificates(BasePermission):
    """Medical examiners' API clients (role "Medical examiner (API)")."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("registrar.submit_medical_certificates"))


class MedicalCertificatesView(APIView):
    permission_classes = [SendsMedicalCertificates]

    @extend_schema(
        summary="Send a medical certificate of cause of death (medical examiners)",
        description=(
            "The family registers the death by giving this certificate's reference; the "
            f"{settings.DEATH_REGISTRATION_DAYS} days to register count from now "
            f"({settings.DEATH_REGISTRATION_DAYS + settings.DEATH_EXTENSION_DAYS} with `written_notice_given`). "
            "A death `referred_to_coroner` cannot be registered until the coroner's release is sent."
        ),
        request=MedicalCertificateRequestSerializer,
        responses={201: MedicalCertificateSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 409: ERROR},
        tags=["registration"],
    )
    def post(self, request):
        serializer = MedicalCertificateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        details = dict(serializer.validated_data)
        written_notice = details.pop("written_notice_given")
        if written_notice:
            details["extension_notified_at"] = timezone.now()
        certificate = services.record_medical_certificate(submitted_by=request.user, details=details)
        return Response(MedicalCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CoronerReleaseView(APIView):
    permission_classes = [SendsMedicalCertificates]

    @extend_schema(
        summary="The coroner releases a referred death",
        description="Registrations waiting for the coroner are registered now if every other rule is met, "
        "otherwise they go to a registrar.",
        request=CoronerReleaseSerializer,
        responses={200: MedicalCertificateSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=["registration"],
    )
    def post(self, request, reference: str):
        certificate = get_object_or_404(MedicalCertificate, reference__iexact=reference)
        serializer = CoronerReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.release_from_coroner(
            certificate=certificate, actor=request.user, inquest_open=serializer.validated_data["inquest_open"]
        )
        return Response(MedicalCertificateSerializer(certificate).data)


class CitizenRegistrationView(APIView):
    """A signed-in citizen acting on their own registrations; anyone else's answer 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff work registrations through the staff pages.")

    def own(self, request, reference: str) -> Registration:
        return get_object_or_404(
            Registration.objects.select_related("district", "medical_certificate"),
            reference=reference,
            informant=request.user,
        )

    def respond(self, registration: Registration, code: int = status.HTTP_200_OK) -> Response:
        registration = Registration.objects.select_related("district", "medical_certificate").get(pk=registration.pk)
        return Response(RegistrationSerializer(registration).data, status=code)


OWN = {401: SIGN_IN, 403: ERROR, 404: ERROR}


class RegistrationsView(CitizenRegistrationView):
    @extend_schema(
        summary="Your registrations",
        responses={200: RegistrationSerializer(many=True), 401: SIGN_IN, 403: ERROR},
        tags=["registration"],
    )
    def get(self, request):
        registrations = Registration.objects.filter(informant=request.user).select_related(
            "district", "medical_certificate"
        )
        return Response(RegistrationSerializer(registrations, many=True).data)

    @extend_schema(
        summary="Start a birth or death registration (a draft)",
        request=NewRegistrationSerializer,
        responses={201: RegistrationSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR},
        tags=["registration"],
    )
    def post(self, request):
        serializer = NewRegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.start_registration(informant=request.user, event=serializer.validated_data["event"])
        return self.respond(registration, status.HTTP_201_CREATED)


class RegistrationView(CitizenRegistrationView):
    @extend_schema(
        summary="One of your registrations: status, answers, next step, entry",
        responses={200: RegistrationSerializer, **OWN},
        tags=["registration"],
    )
    def get(self, request, reference: str):
        return self.respond(self.own(request, reference))


class AnswersView(CitizenRegistrationView):
    @extend_schema(
        summary="Save the answers of one step",
        description=(
            "The body is the step's answers as a JSON object (dates as YYYY-MM-DD, yes/no as booleans); the steps "
            "and their questions are listed in `steps` of the registration and documented in registrar/answers.py. "
            "The same checks as the pages apply; a refused step saves nothing and keeps what was saved before."
        ),
        request=OpenApiTypes.OBJECT,
        responses={200: RegistrationSerializer, 400: ERROR, **OWN, 409: ERROR},
        tags=["registration"],
    )
    def put(self, request, reference: str, step: str):
        registration = self.own(request, reference)
        services.check_step(registration=registration, step=step)
        if not isinstance(request.data, dict):
            return Response(error_body("invalid", "Send the step's answers as a JSON object."), status=400)
        form = bind_json(FORMS[registration.event][step], request.data, registration=registration)
        if not form.is_valid():
            return form_errors_response(form)
        registration = services.save_answers(registration=registration, step=step, values=form.answer_values())
        return self.respond(registration)


class SubmitView(CitizenRegistrationView):
    @extend_schema(
        summary="Declare and send the registration",
        description=(
            "Registered at once when every rule is met (`status` registered, `entry` set); a joint birth "
            "registration waits for the other parent (`awaiting_second_parent`); otherwise a registrar looks at it."
        ),
        request=SubmitSerializer,
        responses={200: RegistrationSerializer, 400: ERROR, **OWN, 409: ERROR},
        tags=["registration"],
    )
    def post(self, request, reference: str):
        registration = self.own(request, reference)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            registration = services.submit_registration(
                registration=registration, declared_by=getattr(request, "assisted_by", None) or request.user
            )
        except RegistrationRefused as refused:
            if refused.code != "incomplete":
                raise
            # Which steps: the one refusal whose body lists fields, like a validation error.
            fields = {step: ["This step is not answered yet."] for step in refused.params["steps"]}
            return Response(error_body(refused.code, refused.message, fields), status=refused.status)
        return self.respond(registration)
