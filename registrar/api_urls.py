"""The registration API: medical certificates from medical examiners, citizens' registrations,
and casework and the central register for staff clients."""

from django.urls import include, path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api, staff_api

_entry = "registrar/entries/<ref:district>/<ref:letter>/<int:year>/<int:number>"

urlpatterns = [
    path("registrar/mccd", api.MedicalCertificatesView.as_view(), name="registrar-mccd"),
    path("registrar/mccd/<ref:reference>/release", api.CoronerReleaseView.as_view(), name="registrar-mccd-release"),
    path("registrar/registrations", api.RegistrationsView.as_view(), name="registrar-registrations"),
    path("registrar/registrations/<ref:reference>", api.RegistrationView.as_view(), name="registrar-registration"),
    path(
        "registrar/registrations/<ref:reference>/answers/<ref:step>",
        api.AnswersView.as_view(),
        name="registrar-registration-answers",
    ),
    path(
        "registrar/registrations/<ref:reference>/submit", api.SubmitView.as_view(), name="registrar-registration-submit"
    ),
    path("registrar/cases", staff_api.CasesView.as_view(), name="registrar-cases"),
    path("registrar/cases/<ref:reference>", staff_api.CaseView.as_view(), name="registrar-case"),
    path("registrar/cases/<ref:reference>/decision", staff_api.DecisionView.as_view(), name="registrar-decision"),
    path("registrar/cases/<ref:reference>/assignment", staff_api.AssignmentView.as_view(), name="registrar-assign"),
    path("registrar/entries", staff_api.EntriesView.as_view(), name="registrar-entries"),
    path(_entry, staff_api.EntryView.as_view(), name="registrar-entry"),
    path(_entry + "/corrections", staff_api.CorrectionsView.as_view(), name="registrar-corrections"),
    path("", include("registrar.marriage.api_urls")),
    path("", include("registrar.citizenship.api_urls")),
    path("", include("registrar.inquest.api_urls")),
    path("", include("registrar.reregistration.api_urls")),
    path("", include("registrar.stillbirth.api_urls")),
    path("", include("registrar.staff_registration.api_urls")),
]
