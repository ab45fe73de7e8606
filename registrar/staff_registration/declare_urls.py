"""The informant's own page to make the declaration of a registration staff took for them."""

from django.urls import path

from . import views

app_name = "staff-registration-declare"

urlpatterns = [path("<str:token>/", views.declare, name="declare")]
