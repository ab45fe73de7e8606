"""The open data API: each published dataset for a year, as JSON or CSV, to anyone."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.replica import reads_may_lag

from . import open_data
from .serializers import OpenDataQuerySerializer, OpenDataSerializer

# The marker ONS uses for a count withheld to protect confidentiality.
SUPPRESSED = "[c]"


class CSVRenderer(BaseRenderer):
    """A published table as CSV: its columns, then one line a row; suppressed counts as [c]."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        out = io.StringIO()
        if isinstance(data, dict) and "columns" in data:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(data["columns"])
            for row in data["rows"]:
                writer.writerow([SUPPRESSED if row[name] is None else row[name] for name in data["columns"]])
        return out.getvalue().encode(self.charset)


@reads_may_lag
class OpenDataView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    renderer_classes = [JSONRenderer, CSVRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is always the API's JSON error shape, whatever format the file was asked in.
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="open_data",
        summary="An open data file",
        description=(
            "Counts from the register for one year: births and deaths by month, registration district "
            "and sex; deaths by week, region and sex; marriages and civil partnerships by month and district. "
            "Statistical disclosure control: a count below the threshold is never published, nor any count "
            "from which one could be worked out with the totals. No sign-in needed."
        ),
        parameters=[
            OpenApiParameter("dataset", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(open_data.DATASETS)),
            OpenDataQuerySerializer,
        ],
        responses={200: OpenDataSerializer},
        tags=["open data"],
    )
    def get(self, request, dataset: str) -> Response:
        if dataset not in open_data.DATASETS:
            raise NotFound("There is no open data file of that name.")
        query = OpenDataQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        published = open_data.publication(dataset, year=year)
        response = Response(open_data.as_json(published))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{dataset}-{year}.csv"'
        return response
