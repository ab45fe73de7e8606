"""Registrars' pages of citizenship ceremonies (under /staff/citizenship/)."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import staff_views as views

app_name = "citizenship-staff"

urlpatterns = [
    path("", views.index, name="index"),
    path("ceremonies/<ref:reference>/", views.ceremony, name="ceremony"),
    path("ceremonies/<ref:reference>/<ref:seat>", views.record, name="record"),
    path("invitations/<ref:reference>/", views.invitation, name="invitation"),
    path("invitations/<ref:reference>/check", views.match, name="match"),
    path("invitations/<ref:reference>/extend", views.extend, name="extend"),
]
