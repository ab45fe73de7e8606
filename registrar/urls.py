"""URLs of the whole service: pages, the API under /api/v1/, its schema and docs."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from booking import api as booking_api
from certificates import api as certificates_api
from identity import api as identity_api
from identity import api_identity, api_support

from . import api as registrar_api
from . import staff_api, views
from .admin import admin_requires_staff_sign_in

admin_requires_staff_sign_in(admin.site)

api_v1 = [
    path("auth/code", identity_api.AuthCodeView.as_view(), name="auth-code"),
    path("auth/token", identity_api.AuthTokenView.as_view(), name="auth-token"),
    path("auth/me", identity_api.MeView.as_view(), name="auth-me"),
    path("auth/staff-token", api_support.StaffTokenView.as_view(), name="auth-staff-token"),
    path("auth/me/consent-code", api_support.ConsentCodeView.as_view(), name="consent-code"),
    path("support/people", api_support.PeopleView.as_view(), name="support-people"),
    path("support/sessions", api_support.SessionsView.as_view(), name="support-sessions"),
    path("support/sessions/current", api_support.CurrentSessionView.as_view(), name="support-session-current"),
    path("identity/case", api_identity.IdentityCaseView.as_view(), name="identity-case"),
    path("identity/case/document", api_identity.IdentityDocumentView.as_view(), name="identity-document"),
    path("identity/case/document/photo", api_identity.DocumentPhotoView.as_view(), name="identity-document-photo"),
    path("identity/case/address", api_identity.IdentityAddressView.as_view(), name="identity-address"),
    path("identity/case/address/photo", api_identity.AddressPhotoView.as_view(), name="identity-address-photo"),
    path("identity/case/submit", api_identity.SubmitView.as_view(), name="identity-submit"),
    path("booking/availability", booking_api.AvailabilityView.as_view(), name="booking-availability"),
    path("booking/holds", booking_api.HoldsView.as_view(), name="booking-holds"),
    path("booking/holds/<str:reference>/confirm", booking_api.HoldConfirmView.as_view(), name="booking-confirm"),
    path("booking/bookings/<str:reference>.ics", booking_api.BookingCalendarView.as_view(), name="booking-ics"),
    path("booking/bookings/<str:reference>", booking_api.BookingView.as_view(), name="booking-detail"),
    path(
        "booking/bookings/<str:reference>/reschedule", booking_api.RescheduleView.as_view(), name="booking-reschedule"
    ),
    path("booking/bookings/<str:reference>/cancel", booking_api.CancelView.as_view(), name="booking-cancel"),
    # Birth and death registration: medical examiners and citizens (issue 5).
    path("registrar/mccd", registrar_api.MedicalCertificatesView.as_view(), name="registrar-mccd"),
    path(
        "registrar/mccd/<str:reference>/release",
        registrar_api.CoronerReleaseView.as_view(),
        name="registrar-mccd-release",
    ),
    path("registrar/registrations", registrar_api.RegistrationsView.as_view(), name="registrar-registrations"),
    path(
        "registrar/registrations/<str:reference>",
        registrar_api.RegistrationView.as_view(),
        name="registrar-registration",
    ),
    path(
        "registrar/registrations/<str:reference>/answers/<str:step>",
        registrar_api.AnswersView.as_view(),
        name="registrar-registration-answers",
    ),
    path(
        "registrar/registrations/<str:reference>/submit",
        registrar_api.SubmitView.as_view(),
        name="registrar-registration-submit",
    ),
]

# Registrar casework for staff clients (issue 5).
_entry = "registrar/entries/<str:district>/<str:letter>/<int:year>/<int:number>"
api_v1 += [
    path("registrar/cases", staff_api.CasesView.as_view(), name="registrar-cases"),
    path("registrar/cases/<str:reference>", staff_api.CaseView.as_view(), name="registrar-case"),
    path("registrar/cases/<str:reference>/decision", staff_api.DecisionView.as_view(), name="registrar-decision"),
    path("registrar/cases/<str:reference>/assignment", staff_api.AssignmentView.as_view(), name="registrar-assign"),
    path("registrar/entries", staff_api.EntriesView.as_view(), name="registrar-entries"),
    path(_entry, staff_api.EntryView.as_view(), name="registrar-entry"),
    path(_entry + "/corrections", staff_api.CorrectionsView.as_view(), name="registrar-corrections"),
    path("certificates/index", certificates_api.IndexSearchView.as_view(), name="certificates-index"),
    path("certificates/verify", certificates_api.VerifyPdfView.as_view(), name="certificates-verify-pdf"),
    path("certificates/verify/<str:serial>", certificates_api.VerifySerialView.as_view(), name="certificates-verify"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("identity.urls")),
    path("book/", include("booking.urls")),
    path("staff/booking/", include("booking.staff_urls")),
    path("staff/registrar/", include("registrar.staff_urls")),
    # Birth and death registration, the citizen's side (issue 5).
    path("register/", include("registrar.journey_urls")),
    path("", include("certificates.urls")),
    path("staff/certificates/", include("certificates.staff_urls")),
    path("language/<str:code>/", views.switch_language, name="switch-language"),
    path("accessibility/", views.static_page("registrar/accessibility.html"), name="accessibility"),
    path("cookies/", views.static_page("registrar/cookies.html"), name="cookies"),
    path("privacy/", views.static_page("registrar/privacy.html"), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI and ReDoc set inline styles from their own scripts; only these pages allow it.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    path(f"{settings.ADMIN_URL_PATH}", admin.site.urls),
]

handler400 = "registrar.views.bad_request"
handler403 = "registrar.views.permission_denied"
handler404 = "registrar.views.page_not_found"
handler500 = "registrar.views.server_error"
