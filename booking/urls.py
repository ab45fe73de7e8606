"""Citizen pages for booking ceremonies, notice appointments and identity appointments."""

from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("", views.start, name="start"),
    path("search/", views.search, name="search"),
    path("hold/", views.hold, name="hold"),
    path("yours/", views.mine, name="mine"),
    path("link/<str:token>/", views.manage_link, name="manage-link"),
    path("link/<str:token>/cancel/", views.cancel_by_link, name="cancel-link"),
    path("identity/", views.identity_start, name="identity-start"),
    path("identity/<slug:way>/", views.identity_search, name="identity-search"),
    path("identity/<slug:way>/choose/", views.identity_hold, name="identity-hold"),
    path("<str:reference>/", views.manage, name="manage"),
    path("<str:reference>/details/<int:position>/", views.party, name="party"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/confirm/", views.confirm, name="confirm"),
    path("<str:reference>/extend/", views.extend, name="extend"),
    path("<str:reference>/booked/", views.confirmation, name="confirmation"),
    path("<str:reference>/calendar.ics", views.calendar_file, name="ics"),
    path("<str:reference>/witnesses/", views.witnesses, name="witnesses"),
    path("<str:reference>/move/", views.move, name="move"),
    path("<str:reference>/move/choose/", views.move_to, name="move-to"),
    path("<str:reference>/move/confirm/", views.move_confirm, name="move-confirm"),
    path("<str:reference>/cancel/", views.cancel, name="cancel"),
    path("<str:reference>/notice-check/", views.notice_check, name="notice-check"),
    path("<str:reference>/appointment-check/", views.notice_check, name="appointment-check"),
]
