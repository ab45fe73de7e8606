"""The API of giving notice online: proposals, the invitation, a person's own notice, its answers
step by step, the evidence upload and sending."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import notice_api as api

urlpatterns = [
    path("marriage/proposals", api.ProposalsView.as_view(), name="marriage-proposals"),
    path("marriage/proposals/<ref:reference>", api.ProposalView.as_view(), name="marriage-proposal"),
    path("marriage/proposals/<ref:reference>/invitation", api.InvitationView.as_view(), name="marriage-invitation"),
    path("marriage/invitations/accept", api.AcceptView.as_view(), name="marriage-accept"),
    path("marriage/notices/<ref:reference>", api.NoticeView.as_view(), name="marriage-notice"),
    path(
        "marriage/notices/<ref:reference>/answers/<ref:step>",
        api.AnswersView.as_view(),
        name="marriage-notice-answers",
    ),
    path(
        "marriage/notices/<ref:reference>/ending-evidence",
        api.EvidenceView.as_view(),
        name="marriage-notice-evidence",
    ),
    path("marriage/notices/<ref:reference>/submit", api.SubmitView.as_view(), name="marriage-notice-submit"),
]
