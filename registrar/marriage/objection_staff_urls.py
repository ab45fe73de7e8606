"""Staff pages for objections and suspicion reports (under /staff/marriages/)."""

from django.urls import path

from . import objection_staff_views as views

urlpatterns = [
    path("objections/", views.objections, name="objections"),
    path("objections/<str:reference>/", views.objection, name="objection"),
    path("suspicion/<str:reference>/", views.suspicion, name="suspicion"),
]
