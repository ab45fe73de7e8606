"""Giving notice online: the start page, starting from a booking or for a religious marriage, the
couple's page, the invitation, one question per page, evidence, check your answers and sending.
Last among the citizen patterns: a notice's pages end in the question's name."""

from django.urls import path

from . import notice_views as views

urlpatterns = [
    path("", views.start, name="start"),
    path("booking/<str:reference>/", views.start_from_booking, name="start-from-booking"),
    path("religious/", views.start_religious, name="start-religious"),
    path("join/<str:token>/", views.join, name="join"),
    path("proposal/<str:reference>/", views.proposal_page, name="proposal"),
    path("proposal/<str:reference>/invite/", views.invite, name="invite"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/evidence/", views.evidence, name="evidence"),
    path("<str:reference>/sent/", views.sent, name="sent"),
    path("<str:reference>/<str:step>/", views.question, name="question"),
]
