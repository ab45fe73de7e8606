"""Staff pages for the booking diary: days and weeks, rooms, rota, closures, absences,
re-booking, notices, and calendar feeds."""

from django.urls import path

from . import staff_views

app_name = "booking-staff"

urlpatterns = []
