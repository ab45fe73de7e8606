"""Read-only admin views of orders, certificates and the documents issued at registration; changes
go through the staff pages."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Certificate, CertificateOrder, RegistrationDocument


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


@admin.register(RegistrationDocument)
class RegistrationDocumentAdmin(ReadOnlyAdmin):
    list_display = ["serial", "kind", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["serial"]
    readonly_fields = [field.name for field in RegistrationDocument._meta.fields]
