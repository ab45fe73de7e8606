"""Staff pages for certificate orders: search, an order, revoke and reissue."""

from django.urls import path

from . import staff_views

app_name = "certificates-staff"

urlpatterns = [
    path("", staff_views.orders, name="orders"),
    path("orders/<str:reference>/", staff_views.order_detail, name="order"),
    path("<str:serial>/revoke/", staff_views.revoke, name="revoke"),
    path("<str:serial>/reissue/", staff_views.reissue, name="reissue"),
]
