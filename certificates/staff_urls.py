"""Staff pages for certificate orders: search, an order, retrying its issuing, revoke and reissue."""

from django.urls import path

from . import staff_views

app_name = "certificates-staff"

urlpatterns = [
    path("", staff_views.orders, name="orders"),
    path("orders/<str:reference>/", staff_views.order_detail, name="order"),
    path("orders/<str:reference>/retry/", staff_views.retry_issuing, name="retry"),
    path("<str:serial>/revoke/", staff_views.revoke, name="revoke"),
    path("<str:serial>/reissue/", staff_views.reissue, name="reissue"),
]
