"""The public notices page (mounted at /notices/): the notices on display by registration
district, each notice with its objection form, and the objection's confirmation."""

from django.urls import path

from . import display_views as views

app_name = "notices"

urlpatterns = [
    path("", views.notices_list, name="list"),
    path("objection-sent/", views.objection_sent, name="objection-sent"),
    path("<str:reference>/", views.notice, name="notice"),
]
