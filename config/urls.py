"""URLs of the whole service: each app's pages and its part of the API under /api/v1/, the
site-wide pages, the API schema and docs, and the admin."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from core import api_errors

from . import api_docs, views

api_v1 = [
    path("", include("identity.api_urls")),
    path("", include("booking.api_urls")),
    path("", include("registrar.api_urls")),
    path("", include("certificates.api_urls")),
    path("", include("performance.api_urls")),
]

urlpatterns = [
    # First: load balancers ask every few seconds, and each pattern above it is tried in turn.
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("", include("identity.urls")),
    path("book/", include("booking.urls")),
    path("staff/booking/", include("booking.staff_urls")),
    # Re-registration of a birth (before "register/", whose references would match "re-registration").
    path("register/re-registration/", include("registrar.reregistration.urls")),
    path("register/", include("registrar.urls")),
    path("staff/registrar/taken/", include("registrar.staff_registration.urls")),
    path("declare/", include("registrar.staff_registration.declare_urls")),
    # The staff dashboard draws on every app's figures, so the performance app serves it.
    path("staff/registrar/dashboard/", include("performance.staff_urls")),
    path("staff/registrar/", include("registrar.reregistration.staff_urls")),
    path("staff/registrar/", include("registrar.staff_urls")),
    path("marry/", include("registrar.marriage.urls")),
    path("notices/", include("registrar.marriage.display_urls")),
    path("staff/marriages/", include("registrar.marriage.staff_urls")),
    path("citizenship/", include("registrar.citizenship.urls")),
    path("staff/citizenship/", include("registrar.citizenship.staff_urls")),
    path("", include("certificates.urls")),
    path("staff/certificates/", include("certificates.staff_urls")),
    path("performance/", include("performance.urls")),
    path("", include("identity.oidc.provider_urls")),
    path("", include("identity.oidc.urls")),
    path("staff/identity-services/", include("identity.oidc.staff_urls")),
    path("language/<str:code>/", views.switch_language, name="switch-language"),
    path("accessibility/", views.static_page("site/accessibility.html"), name="accessibility"),
    path("cookies/", views.static_page("site/cookies.html"), name="cookies"),
    path("privacy/", views.static_page("site/privacy.html"), name="privacy"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api-schema"),
    # The documentation every footer links to: the schema as an accessible page of the service.
    path("api/docs/", api_docs.api_docs, name="api-docs"),
    # Swagger UI and ReDoc set inline styles from their own scripts; only these pages allow it.
    # Swagger UI is for trying calls out; it does not pass an accessibility check, so no page links to it.
    path(
        "api/docs/swagger/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-swagger",
    ),
    path("api/docs/<slug:part>/", api_docs.api_docs_section, name="api-docs-section"),
    path(
        "api/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    # Whatever else is under /api/ answers the API's 404; the schema and docs pages keep their
    # redirect from the address without its slash.
    re_path(r"^api/(?!(?:schema|docs|redoc)$)", api_errors.not_found),
    path(f"{settings.ADMIN_URL_PATH}", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
