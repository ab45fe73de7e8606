"""The Django admin is for service admins only, behind the same two-factor staff sign-in."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse

from identity.access import is_verified_staff


def admin_requires_staff_sign_in(site: AdminSite) -> None:
    def has_permission(request) -> bool:
        return is_verified_staff(request) and (
            request.user.is_superuser or request.user.has_perm("identity.manage_staff")
        )

    def login(request, extra_context=None):
        return redirect(reverse("identity:staff-sign-in") + "?next=" + reverse("admin:index"))

    site.has_permission = has_permission
    site.login = login
    site.site_header = "Registrar Online administration"


# --- Webhooks (issue 5): service admins manage integrators' subscriptions and see deliveries -----

from django.contrib import admin  # noqa: E402

from .models import RegisterEvent, WebhookDelivery, WebhookSubscription  # noqa: E402


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["integrator", "url", "events", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["integrator", "url"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What was published and delivered is a record: seen in the admin, never edited there."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegisterEvent)
class RegisterEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "kind", "entry", "created_at"]
    list_filter = ["kind"]
    search_fields = ["event_id"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "subscription", "status", "attempts", "last_status_code", "last_error", "delivered_at"]
    list_filter = ["status", "subscription"]
