"""The couple's schedule of a religious marriage (and of any authorised ceremony), with a printable copy."""

from django.urls import path

from . import schedule_views

urlpatterns: list = [
    path("schedule/<str:reference>/", schedule_views.schedule, name="schedule"),
    path("schedule/<str:reference>/schedule.pdf", schedule_views.schedule_pdf, name="schedule-pdf"),
]
