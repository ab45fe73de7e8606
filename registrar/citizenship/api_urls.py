"""The citizenship API (under /api/v1/)."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api

urlpatterns = [
    path("citizenship/invitations", api.InvitationsView.as_view(), name="citizenship-invitations"),
    path("citizenship/invitations/accept", api.AcceptView.as_view(), name="citizenship-accept"),
    path("citizenship/invitations/<ref:reference>", api.InvitationView.as_view(), name="citizenship-invitation"),
    path(
        "citizenship/invitations/<ref:reference>/ceremonies",
        api.CeremoniesView.as_view(),
        name="citizenship-ceremonies",
    ),
    path("citizenship/invitations/<ref:reference>/seat", api.SeatView.as_view(), name="citizenship-seat"),
    path("citizenship/invitations/<ref:reference>/private", api.PrivateView.as_view(), name="citizenship-private"),
    path(
        "citizenship/ceremonies/<ref:ceremony>/attendance/<ref:seat>",
        api.AttendanceView.as_view(),
        name="citizenship-attendance",
    ),
]
