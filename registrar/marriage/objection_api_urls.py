"""The API of the public notices and objections (`/api/v1/notices…`) and of objection casework
for staff (`/api/v1/marriage/objections…`)."""

from django.urls import path

from . import objection_api as api

urlpatterns = [
    path("notices", api.NoticesView.as_view(), name="notices"),
    path("notices/<ref:reference>/objections", api.NoticeObjectionsView.as_view(), name="notice-objections"),
    path("marriage/objections", api.StaffObjectionsView.as_view(), name="marriage-objections"),
    path("marriage/objections/<ref:reference>", api.StaffObjectionView.as_view(), name="marriage-objection"),
    path(
        "marriage/objections/<ref:reference>/decision",
        api.StaffObjectionDecisionView.as_view(),
        name="marriage-objection-decision",
    ),
]
