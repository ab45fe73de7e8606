"""Staff pages of the authority, the ceremony day, paper schedules and schedules not returned."""

from django.urls import path

from . import schedule_views

urlpatterns: list = [
    path("schedules/", schedule_views.schedules, name="schedules"),
    path("schedule/<str:reference>/authority/", schedule_views.issue_authority, name="schedule-authority"),
    path("schedule/<str:reference>/ceremony/", schedule_views.ceremony, name="ceremony"),
    path("schedule/<str:reference>/not-taken-place/", schedule_views.not_taken_place, name="ceremony-not-held"),
    path("schedule/<str:reference>/rebook/", schedule_views.rebook, name="ceremony-rebook"),
    path("schedule/<str:reference>/paper/", schedule_views.paper_schedule, name="paper-schedule"),
]
