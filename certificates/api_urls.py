"""The certificates API: the index search and public verification."""

from django.urls import path

from . import api

urlpatterns = [
    path("certificates/index", api.IndexSearchView.as_view(), name="certificates-index"),
    path("certificates/verify", api.VerifyPdfView.as_view(), name="certificates-verify-pdf"),
    path("certificates/verify/<str:serial>", api.VerifySerialView.as_view(), name="certificates-verify"),
]
