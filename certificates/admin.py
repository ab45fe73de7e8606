"""Read-only admin views of orders and certificates; changes go through the staff pages."""

from django.contrib import admin

from .models import Certificate, CertificateOrder


@admin.register(CertificateOrder)
class CertificateOrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "copies", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "applicant_email"]
    readonly_fields = [field.name for field in CertificateOrder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["serial", "kind", "issued_at", "revoked_at"]
    search_fields = ["serial"]
    readonly_fields = [field.name for field in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
