"""Citizen pages for registering births and deaths (mounted at /register/)."""

from django.urls import include, path

from . import journey_views as views
from . import statistics_views

app_name = "registrar"

urlpatterns = [
    path("", views.start, name="start"),
    path("yours/", views.mine, name="mine"),
    path("start/<str:event>/", views.before_you_start, name="before-you-start"),
    path("joint/<str:token>/", views.second_parent, name="second-parent"),
    path("green-form/<str:token>/", views.green_form_link, name="green-form-link"),
    path("statistics/", statistics_views.figures, name="statistics"),
    path("", include("registrar.stillbirth.urls")),
    path("<str:reference>/", views.status, name="status"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/answer/", views.answer_question, name="answer"),
    path("<str:reference>/sent/", views.sent, name="sent"),
    path("<str:reference>/stop-waiting/", views.cancel_invitation, name="cancel-invitation"),
    path("<str:reference>/green-form.pdf", views.green_form, name="green-form"),
    path("<str:reference>/<str:step>/", views.question, name="question"),
]
