"""The ceiling's one view: one query, a small JSON answer."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path


def one_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return JsonResponse({"status": "ok", "value": value})


urlpatterns = [path("", one_view)]
