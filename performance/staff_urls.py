"""The staff dashboard and its figures as CSV."""

from django.urls import path

from . import staff_views

app_name = "staff-dashboard"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("figures.csv", staff_views.dashboard_csv, name="csv"),
]
