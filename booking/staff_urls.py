"""Staff pages for the booking diary: days and weeks, rooms, rota, closures, absences,
re-booking, notices, identity appointments, and calendar feeds."""

from django.urls import path

from . import staff_views

app_name = "booking-staff"

urlpatterns = [
    path("", staff_views.offices, name="offices"),
    # Calendar apps fetch this without signing in: the secret token is the credential.
    path("feeds/<str:token>.ics", staff_views.feed, name="feed"),
    path("<str:office_code>/diary/", staff_views.diary, name="diary"),
    path("<str:office_code>/bookings/<str:reference>/", staff_views.booking_detail, name="booking"),
    path("<str:office_code>/bookings/<str:reference>/officers/", staff_views.reassign, name="reassign"),
    path("<str:office_code>/identity-appointments/", staff_views.identity_appointments, name="identity-appointments"),
    path("<str:office_code>/citizenship/", staff_views.citizenship_ceremonies, name="citizenship"),
    path("<str:office_code>/citizenship/new/", staff_views.schedule_citizenship, name="citizenship-new"),
    path(
        "<str:office_code>/citizenship/<str:reference>/",
        staff_views.citizenship_ceremony,
        name="citizenship-ceremony",
    ),
    path(
        "<str:office_code>/citizenship/<str:reference>/capacity/",
        staff_views.citizenship_capacity,
        name="citizenship-capacity",
    ),
    path(
        "<str:office_code>/citizenship/<str:reference>/cancel/",
        staff_views.citizenship_cancel,
        name="citizenship-cancel",
    ),
    path("<str:office_code>/rooms/", staff_views.rooms, name="rooms"),
    path("<str:office_code>/rooms/patterns/", staff_views.add_pattern, name="add-pattern"),
    path("<str:office_code>/rooms/patterns/<int:pk>/delete/", staff_views.delete_pattern, name="delete-pattern"),
    path("<str:office_code>/rota/", staff_views.rota, name="rota"),
    path("<str:office_code>/rota/shifts/", staff_views.add_shift, name="add-shift"),
    path("<str:office_code>/rota/shifts/<int:pk>/delete/", staff_views.delete_shift, name="delete-shift"),
    path("<str:office_code>/rota/absences/", staff_views.add_absence, name="add-absence"),
    path("<str:office_code>/closures/", staff_views.closures, name="closures"),
    path("<str:office_code>/rebook/", staff_views.rebook, name="rebook"),
    path("<str:office_code>/feeds/", staff_views.feeds, name="feeds"),
    path("<str:office_code>/feeds/<int:pk>/revoke/", staff_views.revoke_feed, name="revoke-feed"),
]
