"""The performance app's part of the API: the open data files."""

from django.urls import path

from . import api

urlpatterns = [
    path("open-data/<slug:dataset>", api.OpenDataView.as_view(), name="open-data"),
]
