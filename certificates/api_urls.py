"""The certificates API: the index search and public verification."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api

urlpatterns = [
    path("certificates/index", api.IndexSearchView.as_view(), name="certificates-index"),
    path("certificates/verify", api.VerifyPdfView.as_view(), name="certificates-verify-pdf"),
    path("certificates/verify/<ref:serial>", api.VerifySerialView.as_view(), name="certificates-verify"),
]
