"""Service admins manage integrators' webhook subscriptions and see what was published and delivered."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import RegisterEvent, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["integrator", "url", "events", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["integrator", "url"]


@admin.register(RegisterEvent)
class RegisterEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "kind", "entry", "created_at"]
    list_filter = ["kind"]
    search_fields = ["event_id"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "subscription", "status", "attempts", "last_status_code", "last_error", "delivered_at"]
    list_filter = ["status", "subscription"]
