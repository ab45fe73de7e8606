"""Staff pages of the interview and the notice case (under /staff/marriages/)."""

from django.urls import path

from . import interview_staff_views as views

urlpatterns = [
    path("interviews/", views.interviews, name="interviews"),
    path("interview/case/<str:reference>/", views.case, name="case"),
    path("interview/case/<str:reference>/referral", views.send_referral_again, name="interview-referral-again"),
    path("interview/notice/<str:reference>/outcome", views.outcome, name="interview-outcome"),
    path("interview/notice/<str:reference>/evidence", views.evidence, name="interview-evidence"),
]
