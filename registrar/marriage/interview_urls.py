"""The person's pages for booking their interview (under /marry/)."""

from django.urls import path

from . import interview_views as views

urlpatterns = [
    path("interview/<str:reference>/", views.book, name="interview-book"),
    path("interview/<str:reference>/<str:way>/", views.search, name="interview-search"),
    path("interview/<str:reference>/<str:way>/choose", views.hold, name="interview-hold"),
    path("interview/<str:reference>/check/<str:booking>", views.check, name="interview-check"),
    path("interview/<str:reference>/check/<str:booking>/more-time", views.extend, name="interview-extend"),
]
