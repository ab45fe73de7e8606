"""The new citizen's pages (under /citizenship/)."""

from django.urls import path

from core import paths  # noqa: F401 - registers <ref:…>

from . import views

app_name = "citizenship"

urlpatterns = [
    path("", views.start, name="start"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("<ref:reference>/", views.invitation_page, name="invitation"),
    path("<ref:reference>/ceremonies", views.choose, name="choose"),
    path("<ref:reference>/ceremonies/<ref:ceremony>", views.seat, name="seat"),
    path("<ref:reference>/check", views.check, name="check"),
    path("<ref:reference>/cancel", views.cancel, name="cancel"),
    path("<ref:reference>/private", views.private, name="private"),
]
