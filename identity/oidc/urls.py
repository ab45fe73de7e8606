"""The person's pages: the services that use their identity, and proving it first when a service
needs it."""

from django.urls import path

from . import views

app_name = "oidc"

urlpatterns = [
    path("account/services/", views.services_page, name="services"),
    path("account/services/<int:service_id>/stop/", views.stop_sharing, name="stop-sharing"),
    path("oidc/prove-your-identity/", views.identity_needed, name="identity-needed"),
    path("oidc/services/<int:service_id>/logo.jpg", views.service_logo, name="service-logo"),
]
