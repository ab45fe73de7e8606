"""The stillbirth pages (mounted at /register/stillbirth/, inside the registrar namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("stillbirth/", views.start, name="stillbirth-start"),
    path(
        "stillbirth/<str:reference>/certificate-of-registration.pdf",
        views.certificate_of_registration,
        name="stillbirth-certificate-of-registration",
    ),
    path(
        "stillbirth/<str:reference>/burial-or-cremation.pdf",
        views.burial_or_cremation,
        name="stillbirth-burial-or-cremation",
    ),
]
