"""Staff pages of certificates from coroners (under the registration staff pages)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("", views.queue, name="coroner-certificates"),
    path("<str:reference>/", views.certificate, name="coroner-certificate"),
    path("<str:reference>/register/", views.register, name="coroner-certificate-register"),
]
