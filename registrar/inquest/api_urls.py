"""The coroners' API and registering a death from a certificate after inquest."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api

urlpatterns: list = [
    path(
        "registrar/coroner-certificates", api.CoronerCertificatesView.as_view(), name="registrar-coroner-certificates"
    ),
    path(
        "registrar/coroner-certificates/<ref:reference>/register",
        api.RegisterFromCertificateView.as_view(),
        name="registrar-coroner-certificate-register",
    ),
]
