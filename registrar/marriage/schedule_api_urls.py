"""The schedule API: an authorised person's return, and registering by a registrar."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import schedule_api

urlpatterns: list = [
    path("schedules/<ref:reference>/return", schedule_api.ScheduleReturnView.as_view(), name="schedule-return"),
    path("schedules/<ref:reference>/register", schedule_api.ScheduleRegisterView.as_view(), name="schedule-register"),
]
