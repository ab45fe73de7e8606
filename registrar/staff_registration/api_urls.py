"""The staff API for registrations taken in person (registrar.staff_registration.api)."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api

_one = "registrar/taken/<ref:reference>"

urlpatterns = [
    path("registrar/taken", api.TakenView.as_view(), name="registrar-taken"),
    path(_one, api.TakenRegistrationView.as_view(), name="registrar-taken-registration"),
    path(_one + "/answers/<ref:step>", api.TakenAnswersView.as_view(), name="registrar-taken-answers"),
    path(_one + "/declaration", api.TakenDeclarationView.as_view(), name="registrar-taken-declaration"),
    path(_one + "/declaration/code", api.TakenCodeView.as_view(), name="registrar-taken-code"),
]
