"""The staff API for registrar casework (`/api/v1/registrar/…`): the case queue, a case with
its duplicates and history, decisions and assignment, entries and their corrections, on the
same selectors and services as the staff pages. Staff see only their offices unless their role
is national; anything else answers 404 so references reveal nothing."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, error_body
from core.audit import audit_request
from identity.models import User
from identity.selectors import current_identity_case

from . import case_selectors, casework
from .casework import CORRECT, WORK
from .models import RegisterEntry, Registration
from .refusals import CaseRefused
from .staff_serializers import (
    AssignRequestSerializer,
    CaseDetailSerializer,
    CaseQuerySerializer,
    CaseSerializer,
    CorrectionRequestSerializer,
    CorrectionSerializer,
    DecisionRequestSerializer,
    EntryQuerySerializer,
    EntrySerializer,
)

SIGN_IN = OpenApiResponse(ErrorSerializer, description="Not signed in: send `Authorization: Bearer <token>`")
STAFF_ONLY = OpenApiResponse(ErrorSerializer, description="Staff with the permission only")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such case or entry in your offices")
BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="Invalid input; the error says which")
CONFLICT = OpenApiResponse(ErrorSerializer, description="Already decided, or the case is not ready for this decision")
STAFF = {401: SIGN_IN, 403: STAFF_ONLY}
ONE = {**STAFF, 404: NOT_FOUND}
POSTED = {400: BAD_REQUEST, 409: CONFLICT}
ENTRY_PATH = [
    OpenApiParameter("district", OpenApiTypes.STR, OpenApiParameter.PATH, description="District code, e.g. E-LEEDS"),
    OpenApiParameter(
        "letter",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description="B birth, D death, M marriage, C civil partnership, S still-birth, Z citizenship ceremony",
    ),
    OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH),
    OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH),
]


class StaffAPIView(APIView):
    """Staff holding `permission`. A citizen's token, or staff without it, answers 403."""

    permission = WORK

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if not (user.is_authenticated and user.is_staff and user.has_perm(self.permission)):
            raise PermissionDenied("Only staff with the right role can use this.")

    def case(self, request, reference: str) -> Registration:
        registration = case_selectors.registration_case(user=request.user, reference=reference)
        if registration is None:
            raise Http404
        return registration

    def entry(self, request, district: str, letter: str, year: int, number: int) -> RegisterEntry:
        entry = case_selectors.entry_by_parts(
            user=request.user, district=district, letter=letter, year=year, number=number
        )
        if entry is None:
            raise Http404
        return entry


def _case_detail(user: User, registration: Registration) -> dict:
    registration = (
        Registration.objects.select_related("district", "informant", "assigned_to", "medical_certificate")
        .prefetch_related("case_actions__actor", "case_actions__assignee")
        .get(pk=registration.pk)
    )
    duplicates = case_selectors.likely_duplicates(registration)
    identity_case = current_identity_case(person=registration.informant)
    registration.decisions = casework.decisions_open_to(user, registration)
    registration.duplicates = [
        {"kind": "entry", "reference": e.entry_reference, "district": e.district.code, "event_date": e.event_date}
        for e in duplicates.entries
    ] + [
        {
            "kind": "registration",
            "reference": r.reference,
            "district": r.district.code if r.district else "",
            "event_date": r.event_date,
        }
        for r in duplicates.registrations
    ]
    registration.told = case_selectors.events_for_registration(registration)
    registration.identity_case = identity_case.reference if identity_case else None
    return CaseDetailSerializer(registration).data


class CasesView(StaffAPIView):
    @extend_schema(
        summary="Registration cases needing a registrar in your offices, oldest first",
        parameters=[CaseQuerySerializer],
        responses={200: CaseSerializer(many=True), 400: BAD_REQUEST, **STAFF},
        tags=["registrar"],
    )
    def get(self, request):
        query = CaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        office = filters.get("office") or ""
        if office and not case_selectors.offices_for(request.user).filter(code=office).exists():
            return Response(
                error_body(
                    "invalid", "Check the fields listed and try again.", {"office": ["Not one of your offices."]}
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        items = case_selectors.case_queue(
            user=request.user,
            office_code=office,
            kind=filters.get("kind") or "",
            reason=filters.get("reason") or "",
            older_than_days=filters.get("older_than_days"),
            deadline_within_days=filters.get("deadline_within_days"),
            assigned=filters.get("assigned") or "",
            include_identity=False,
            include_objections=False,
        )
        references = [item.reference for item in items if item.kind != "identity"][:500]
        registrations = {
            r.reference: r
            for r in Registration.objects.select_related("district", "assigned_to").filter(reference__in=references)
        }
        audit_request(
            request, action="registration_queue.viewed", via="api", filters=case_selectors.given_filters(filters)
        )
        return Response(CaseSerializer([registrations[ref] for ref in references], many=True).data)


class CaseView(StaffAPIView):
    @extend_schema(
        summary="One case: answers, reasons, likely duplicates, history, who was told, decisions open to you",
        responses={200: CaseDetailSerializer, **ONE},
        tags=["registrar"],
    )
    def get(self, request, reference: str):
        registration = self.case(request, reference)
        audit_request(
            request,
            action="registration_case.viewed",
            via="api",
            subject=registration.informant,
            object_type="registration",
            object_id=registration.reference,
        )
        return Response(_case_detail(request.user, registration))


class DecisionView(StaffAPIView):
    @extend_schema(
        summary="Decide: register, reject, ask for information, escalate; authorise or refuse (Registrar General)",
        request=DecisionRequestSerializer,
        responses={200: CaseDetailSerializer, **ONE, **POSTED},
        tags=["registrar"],
    )
    def post(self, request, reference: str):
        registration = self.case(request, reference)
        serializer = DecisionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = casework.decide(
            registration=registration,
            actor=request.user,
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data.get("reason") or "",
        )
        return Response(_case_detail(request.user, registration))


class AssignmentView(StaffAPIView):
    @extend_schema(
        summary="Assign the case to yourself or a colleague in its office",
        request=AssignRequestSerializer,
        responses={200: CaseDetailSerializer, **ONE, **POSTED},
        tags=["registrar"],
    )
    def post(self, request, reference: str):
        registration = self.case(request, reference)
        serializer = AssignRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = serializer.validated_data["assignee"].strip()
        assignee = request.user if value == "me" else User.objects.filter(email__iexact=value).first()
        if assignee is None:
            raise CaseRefused("assignee_not_in_office")
        registration = casework.assign_case(registration=registration, assignee=assignee, actor=request.user)
        return Response(_case_detail(request.user, registration))


class EntriesView(StaffAPIView):
    permission = CORRECT

    @extend_schema(
        summary="Find an entry of your offices by its reference or its registration's reference",
        operation_id="registrar_entry_find",
        parameters=[EntryQuerySerializer],
        responses={200: EntrySerializer, 400: BAD_REQUEST, **ONE},
        tags=["registrar"],
    )
    def get(self, request):
        query = EntryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        entry = case_selectors.find_entry(user=request.user, reference=query.validated_data["reference"])
        audit_request(
            request,
            action="register_entry.searched",
            via="api",
            reference=query.validated_data["reference"],
            found=bool(entry),
        )
        if entry is None:
            raise Http404
        return Response(EntrySerializer(entry).data)


class EntryView(StaffAPIView):
    permission = CORRECT

    @extend_schema(
        summary="One entry with its particulars as registered, as corrected, and its corrections",
        operation_id="registrar_entry_retrieve",
        parameters=ENTRY_PATH,
        responses={200: EntrySerializer, **ONE},
        tags=["registrar"],
    )
    def get(self, request, district: str, letter: str, year: int, number: int):
        entry = self.entry(request, district, letter, year, number)
        audit_request(
            request,
            action="register_entry.viewed",
            via="api",
            subject=entry.registration.informant if entry.registration_id else None,
            object_type="register_entry",
            object_id=entry.pk,
        )
        return Response(EntrySerializer(entry).data)


class CorrectionsView(StaffAPIView):
    permission = CORRECT

    @extend_schema(
        summary="The corrections recorded beside an entry",
        parameters=ENTRY_PATH,
        responses={200: CorrectionSerializer(many=True), **ONE},
        tags=["registrar"],
    )
    def get(self, request, district: str, letter: str, year: int, number: int):
        entry = self.entry(request, district, letter, year, number)
        return Response(CorrectionSerializer(entry.corrections.select_related("corrected_by"), many=True).data)

    @extend_schema(
        summary="Record a correction beside an entry (the entry keeps its original text)",
        parameters=ENTRY_PATH,
        request=CorrectionRequestSerializer,
        responses={201: CorrectionSerializer, **ONE, 400: BAD_REQUEST},
        tags=["registrar"],
    )
    def post(self, request, district: str, letter: str, year: int, number: int):
        entry = self.entry(request, district, letter, year, number)
        serializer = CorrectionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = casework.correct_entry(entry=entry, actor=request.user, **serializer.validated_data)
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)
