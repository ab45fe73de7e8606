"""Staff pages for taking a birth or death registration for someone (registrar.staff_registration)."""

from django.urls import path

from . import views

app_name = "staff-registration"

urlpatterns = [
    path("", views.start, name="start"),
    path("informant/", views.informant, name="informant"),
    path("<str:reference>/", views.registration_page, name="registration"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/declaration/", views.declaration, name="declaration"),
    path("<str:reference>/declaration/code/", views.code, name="code"),
    path("<str:reference>/<str:step>/", views.question, name="question"),
]
