"""The re-registration API, joined into the registration API."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api

urlpatterns = [
    path("registrar/re-registrations", api.ReRegistrationsView.as_view(), name="reregistrations"),
    path(
        "registrar/re-registrations/invitation/confirm",
        api.InvitationConfirmView.as_view(),
        name="reregistration-invitation-confirm",
    ),
    path(
        "registrar/re-registrations/invitation/decline",
        api.InvitationDeclineView.as_view(),
        name="reregistration-invitation-decline",
    ),
    path("registrar/re-registrations/<ref:reference>", api.ReRegistrationView.as_view(), name="reregistration"),
    path(
        "registrar/re-registrations/<ref:reference>/details",
        api.DetailsView.as_view(),
        name="reregistration-details",
    ),
    path(
        "registrar/re-registrations/<ref:reference>/confirm",
        api.ConfirmView.as_view(),
        name="reregistration-confirm",
    ),
]
