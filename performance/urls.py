from django.urls import path, re_path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.performance_page, name="page"),
    path("feedback/thank-you/", views.feedback_done, name="feedback-done"),
    path("feedback/<slug:journey>/", views.feedback, name="feedback"),
    path("open-data/", views.open_data_page, name="open-data"),
    re_path(r"^(?P<key>[a-z-]+)\.(?P<extension>csv|json)$", views.indicator_download, name="download"),
]
