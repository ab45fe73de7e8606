"""Read-only admin views of orders and certificates; changes go through the staff pages."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Certificate, CertificateOrder


@admin.register(CertificateOrder)
class CertificateOrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "copies", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "applicant_email"]
    readonly_fields = [field.name for field in CertificateOrder._meta.fields]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["serial", "kind", "issued_at", "revoked_at"]
    search_fields = ["serial"]
    readonly_fields = [field.name for field in Certificate._meta.fields]
