"""The booking API: national availability, holds, bookings, moves and cancellations, identity appointments."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import api, citizenship_api

urlpatterns = [
    path("booking/availability", api.AvailabilityView.as_view(), name="booking-availability"),
    path("booking/holds", api.HoldsView.as_view(), name="booking-holds"),
    path("booking/identity-appointment", api.IdentityAppointmentView.as_view(), name="booking-identity-appointment"),
    path("booking/holds/<ref:reference>/confirm", api.HoldConfirmView.as_view(), name="booking-confirm"),
    path("booking/bookings/<ref:reference>.ics", api.BookingCalendarView.as_view(), name="booking-ics"),
    path("booking/bookings/<ref:reference>", api.BookingView.as_view(), name="booking-detail"),
    path("booking/bookings/<ref:reference>/reschedule", api.RescheduleView.as_view(), name="booking-reschedule"),
    path("booking/bookings/<ref:reference>/cancel", api.CancelView.as_view(), name="booking-cancel"),
    path("citizenship/ceremonies", citizenship_api.CeremoniesView.as_view(), name="citizenship-ceremonies"),
    path(
        "citizenship/ceremonies/<ref:reference>/cancel",
        citizenship_api.CancelCeremonyView.as_view(),
        name="citizenship-ceremony-cancel",
    ),
]
