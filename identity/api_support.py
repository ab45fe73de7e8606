"""Phone support through the API, with the same rules as the console: staff sign in for a
token with password and authenticator code; find a person (minimum shown); open an assisted
session with the person's consent code; then send `On-Behalf-Of: <person id>` with any citizen
request. Citizens get their consent code here too."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api_errors import PERSONAL_QUERY_REFUSED, ErrorSerializer, error_body, personal_query_response
from core.client import client_address
from core.openapi import PostcodeField
from core.places import normalise_postcode

from . import assisted, services
from .models import User
from .serializers import TokenSerializer


class StaffTokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=200, write_only=True, trim_whitespace=False)
    code = serializers.RegexField(
        r"^\s*[0-9]{6}\s*$", help_text="From the authenticator app", error_messages={"invalid": "6 numbers."}
    )


class PeopleQuerySerializer(serializers.Serializer):
    reference = serializers.CharField(required=False, max_length=30)
    full_name = serializers.CharField(required=False, max_length=200)
    birth_date = serializers.DateField(required=False)
    postcode = PostcodeField(required=False)

    def validate(self, attrs):
        if attrs.get("postcode"):
            postcode = normalise_postcode(attrs["postcode"])
            if postcode is None:
                raise serializers.ValidationError({"postcode": ["Enter a real postcode, like LS1 3AD."]})
            attrs["postcode"] = postcode
        if not attrs.get("reference") and not all(attrs.get(key) for key in ("full_name", "birth_date", "postcode")):
            raise serializers.ValidationError("Give a reference, or full_name, birth_date and postcode together.")
        return attrs


class PersonMatchSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    name = serializers.CharField()
    reference = serializers.CharField()
    stage = serializers.CharField()


class SessionRequestSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(min_value=1)
    consent_code = serializers.CharField(max_length=20)


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    opened_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    on_behalf_of_header = serializers.SerializerMethodField(help_text="Send this header to act for the person")

    def get_on_behalf_of_header(self, session) -> str:
        return f"On-Behalf-Of: {session.person_id}"


class ConsentCodeSerializer(serializers.Serializer):
    consent_code = serializers.CharField()
    expires_in_minutes = serializers.IntegerField()


class IsPhoneSupport(BasePermission):
    message = "Only phone-support staff may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user.is_authenticated
            and user.is_staff
            and user.has_perm("identity.assist_citizens")
            and not getattr(request, "assisted_by", None)
        )


class StaffTokenView(APIView):
    """Staff sign in to the API with both factors; the answer never says which one was wrong."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=StaffTokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad input"),
            401: OpenApiResponse(ErrorSerializer, description="Wrong email, password or code"),
            429: OpenApiResponse(ErrorSerializer, description="Locked"),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = StaffTokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.check_staff_factors(
            email=data["email"], password=data["password"], code=data["code"], client_address=client_address(request)
        )
        token, expires_at = services.issue_api_token(user=user)
        return Response({"token": token, "token_type": "Bearer", "expires_at": expires_at})


class ConsentCodeView(APIView):
    @extend_schema(request=None, responses={201: ConsentCodeSerializer}, tags=["support"])
    def post(self, request):
        """A citizen gets a consent code to read to phone support."""
        if request.user.is_staff:
            raise PermissionDenied("Consent codes are for the person being helped.")
        code = assisted.issue_consent_code(person=request.user)
        return Response(
            {"consent_code": code, "expires_in_minutes": settings.ASSISTED_CONSENT_CODE_MINUTES},
            status=status.HTTP_201_CREATED,
        )


class PeopleView(APIView):
    permission_classes = [IsPhoneSupport]

    @extend_schema(
        parameters=[],
        responses={400: PERSONAL_QUERY_REFUSED},
        tags=["support"],
        deprecated=True,
        summary="Refused: find a person with POST",
        description=(
            "A reference, name, date of birth or postcode in an address ends up in logs, so this search "
            "is no longer answered: it always gets `400 personal_data_in_address`. Search with `POST`."
        ),
    )
    def get(self, request):
        return personal_query_response(request.query_params, PeopleQuerySerializer().fields)

    @extend_schema(
        request=PeopleQuerySerializer,
        responses={200: PersonMatchSerializer(many=True)},
        tags=["support"],
        summary="Find a person (the search in the body, never in the address)",
    )
    def post(self, request):
        """Find a person: only name, reference and stage until they consent. Audited."""
        return self._find(request, request.data)

    def _find(self, request, given) -> Response:
        query = PeopleQuerySerializer(data=given)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        matches = assisted.find_people(
            staff=request.user,
            reference=data.get("reference", ""),
            full_name=data.get("full_name", ""),
            birth_date=data.get("birth_date"),
            postcode=data.get("postcode", ""),
            client_address=client_address(request),
        )
        return Response(PersonMatchSerializer(matches, many=True).data)


class SessionsView(APIView):
    permission_classes = [IsPhoneSupport]

    @extend_schema(
        request=SessionRequestSerializer,
        responses={
            201: SessionSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong or expired code"),
            403: OpenApiResponse(ErrorSerializer, description="Not allowed for this person"),
            404: OpenApiResponse(ErrorSerializer, description="No such person"),
            429: OpenApiResponse(ErrorSerializer, description="Locked"),
        },
        tags=["support"],
    )
    def post(self, request):
        """Open an assisted session with the consent code the person reads out."""
        serializer = SessionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = User.objects.filter(pk=serializer.validated_data["person_id"], is_staff=False, is_active=True).first()
        if person is None:
            return Response(error_body("not_found", "No such person."), status=status.HTTP_404_NOT_FOUND)
        # A refused consent code is answered by the API's exception handler, as on the console page.
        session = assisted.open_assisted_session(
            staff=request.user,
            person=person,
            code=serializer.validated_data["consent_code"],
            client_address=client_address(request),
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class CurrentSessionView(APIView):
    permission_classes = [IsPhoneSupport]

    @extend_schema(
        request=None,
        responses={204: None, 404: OpenApiResponse(description="No open session")},
        tags=["support"],
    )
    def delete(self, request):
        """End your open assisted session."""
        session = assisted.current_session(staff=request.user)
        if session is None:
            return Response(error_body("not_found", "You have no open assisted session."), status=404)
        assisted.close_assisted_session(session=session, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
