"""Certificate pages: the index search and ordering under /certificates/, the sandbox payment
provider's hosted page under /payments/sandbox/, and public verification under /verify/."""

from django.urls import path

from . import interim_views, stillbirth_views, views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.start, name="start"),
    path("certificates/search/", views.search, name="search"),
    path("certificates/order/<int:line_id>/", views.order_start, name="order-start"),
    path("certificates/orders/", views.mine, name="mine"),
    path("certificates/stillbirth/", stillbirth_views.copies, name="stillbirth-copies"),
    path("certificates/orders/<str:reference>/", views.order_status, name="order"),
    path("certificates/orders/<str:reference>/certificate/", views.order_certificate, name="certificate"),
    path("certificates/orders/<str:reference>/details/", views.order_details, name="details"),
    path("certificates/orders/<str:reference>/applicant/", views.order_applicant, name="applicant"),
    path("certificates/orders/<str:reference>/check/", views.order_check, name="check"),
    path("certificates/orders/<str:reference>/pay/", views.pay, name="pay"),
    path("certificates/orders/<str:reference>/return/<str:token>/", views.payment_return, name="payment-return"),
    path("certificates/orders/<str:reference>/<str:serial>.pdf", views.download, name="download"),
    path("payments/sandbox/<str:payment_id>/", views.sandbox_pay, name="sandbox-pay"),
    path("certificates/interim/<str:token>/", interim_views.download, name="interim"),
    path("verify/", views.verify, name="verify"),
    path("verify/pdf/", views.verify_pdf, name="verify-pdf"),
    path("verify/<str:serial>", views.verify_serial, name="verify-serial"),
]
