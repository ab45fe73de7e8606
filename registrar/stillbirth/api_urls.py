"""The stillbirth API (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "registrar/stillbirth-certificates",
        api.StillbirthCertificatesView.as_view(),
        name="registrar-stillbirth-certificates",
    ),
]
