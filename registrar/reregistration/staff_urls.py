"""The registrar's re-registration page, beside the entry page under /staff/registrar/."""

from django.urls import path

from . import staff_views

app_name = "reregistration-staff"

urlpatterns = [
    path(
        "entries/<str:district>/<str:letter>/<int:year>/<int:number>/re-register/",
        staff_views.reregister,
        name="reregister",
    ),
]
