"""Service admins' pages: the services registered to sign people in with their identity."""

from django.urls import path

from . import views

app_name = "oidc-staff"

urlpatterns = [
    path("", views.staff_clients, name="clients"),
    path("register/", views.staff_register, name="register"),
    path("<int:client_id>/", views.staff_client, name="client"),
    path("<int:client_id>/secret/", views.staff_new_secret, name="new-secret"),
    path("<int:client_id>/switch-off/", views.staff_disable, name="disable"),
    path("<int:client_id>/logo/", views.staff_logo, name="logo"),
]
