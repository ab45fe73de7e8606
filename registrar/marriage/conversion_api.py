"""The staff API for converting a civil partnership into a marriage: the declaration posted
with the page's own form, and a conversion by its reference."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from ..models.marriages import WORK_NOTICES
from ..staff_api import BAD_REQUEST, CONFLICT, NOT_FOUND, STAFF, StaffAPIView
from . import conversion_selectors as selectors
from . import conversion_services as services
from .conversion_forms import ConversionForm

ConversionRequest = inline_serializer(
    "ConversionRequest",
    {
        "partnership": serializers.CharField(help_text="The civil partnership's entry reference"),
        "office": serializers.CharField(help_text="Code of your register office where the declaration was made"),
        "declared_on": serializers.DateField(),
        "both_present": serializers.BooleanField(help_text="Both partners declared in front of you"),
        "both_signed": serializers.BooleanField(help_text="Both partners signed the declaration"),
        "identities_checked": serializers.BooleanField(help_text="You checked both partners' identities"),
    },
)


class ConversionSerializer(serializers.Serializer):
    reference = serializers.CharField()
    partnership = serializers.CharField(source="partnership.entry_reference")
    marriage = serializers.CharField(source="marriage.entry_reference")
    marriage_dated = serializers.DateField(source="marriage.event_date")
    declared_on = serializers.DateField()
    office = serializers.CharField(source="declared_at.code")


class ConversionsView(StaffAPIView):
    permission = WORK_NOTICES

    @extend_schema(
        summary="Convert a civil partnership into a marriage",
        description=(
            "Both partners declared before you: the marriage is written in your office's register, dated from "
            "the partnership's formation. The same checks as the page; a partnership is converted once (409)."
        ),
        request=ConversionRequest,
        responses={201: ConversionSerializer, 400: BAD_REQUEST, **STAFF, 404: NOT_FOUND, 409: CONFLICT},
        tags=["marriages"],
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return Response(error_body("invalid", "Send the declaration as a JSON object."), status=400)
        form = bind_json(ConversionForm, request.data, offices=selectors.conversion_offices(request.user))
        if not form.is_valid():
            return form_errors_response(form)
        data = form.cleaned_data
        conversion = services.convert_partnership(
            partnership=services.partnership_to_convert(data["partnership"]),
            office=data["office"],
            declared_on=data["declared_on"],
            both_present=data["both_present"],
            both_signed=data["both_signed"],
            identities_checked=data["identities_checked"],
            actor=request.user,
        )
        return Response(ConversionSerializer(conversion).data, status=status.HTTP_201_CREATED)


class ConversionView(StaffAPIView):
    permission = WORK_NOTICES

    @extend_schema(
        summary="A conversion recorded at one of your offices",
        responses={200: ConversionSerializer, **STAFF, 404: NOT_FOUND},
        tags=["marriages"],
    )
    def get(self, request, reference: str):
        conversion = selectors.conversion_for(user=request.user, reference=reference)
        if conversion is None:
            raise Http404
        return Response(ConversionSerializer(conversion).data)
