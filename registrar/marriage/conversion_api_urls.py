"""The staff API for converting a civil partnership into a marriage."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import conversion_api as api

urlpatterns = [
    path("registrar/conversions", api.ConversionsView.as_view(), name="marriage-conversions"),
    path("registrar/conversions/<ref:reference>", api.ConversionView.as_view(), name="marriage-conversion"),
]
