"""The parents' re-registration pages, under /register/re-registration/."""

from django.urls import path

from . import views

app_name = "reregistration"

urlpatterns = [
    path("", views.start, name="start"),
    path("birth/<str:district>/<int:year>/<int:number>/", views.reason, name="reason"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("<str:reference>/", views.check, name="check"),
    path("<str:reference>/details/", views.details, name="details"),
    path("<str:reference>/change/", views.change, name="change"),
    path("<str:reference>/cancel/", views.cancel, name="cancel"),
]
