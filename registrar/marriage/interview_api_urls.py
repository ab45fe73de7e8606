"""The interview's API (under /api/v1/): staff interviews and outcomes, the Home Office's decisions."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import interview_api

urlpatterns = [
    path("marriage/interviews", interview_api.InterviewsView.as_view(), name="marriage-interviews"),
    path(
        "marriage/interview/notices/<ref:reference>/outcome",
        interview_api.OutcomeView.as_view(),
        name="marriage-interview-outcome",
    ),
    path(
        "marriage/interview/referrals/<ref:reference>/decision",
        interview_api.ReferralDecisionView.as_view(),
        name="marriage-referral-decision",
    ),
]
