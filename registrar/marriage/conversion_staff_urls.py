"""Staff pages for converting a civil partnership into a marriage."""

from django.urls import path

from . import conversion_views as views

urlpatterns = [
    path("conversion/", views.conversion, name="conversion"),
    path("conversion/declare/", views.declare, name="conversion-declare"),
    path("conversion/<str:reference>/", views.done, name="conversion-done"),
]
