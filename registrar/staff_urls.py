"""Staff pages for registration casework and register entries."""

from django.urls import include, path

from . import staff_views

app_name = "registrar-staff"

ENTRY = "entries/<str:district>/<str:letter>/<int:year>/<int:number>/"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("cases/<str:reference>/", staff_views.case, name="case"),
    path("cases/<str:reference>/decide/", staff_views.decide, name="decide"),
    path("cases/<str:reference>/assign/", staff_views.assign, name="assign"),
    path("entries/", staff_views.find_entry, name="find-entry"),
    path(ENTRY, staff_views.entry, name="entry"),
    path(ENTRY + "correct/", staff_views.correct, name="correct"),
    path("coroners/", include("registrar.inquest.staff_urls")),
]
