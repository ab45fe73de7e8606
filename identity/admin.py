"""Admin for service admins: staff accounts and their offices and roles, register offices,
and a read-only view of the audit log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core.admin import ReadOnlyAdmin
from core.audit import audit_request

from .models import AuditCheckpoint, AuditEntry, OutboundMessage, RegisterOffice, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["groups", "offices"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Contact", {"fields": ["mobile_number", "mobile_verified_at", "email_verified_at"]}),
        ("Staff", {"fields": ["is_staff", "is_active", "groups", "offices"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    readonly_fields = ["mobile_verified_at", "email_verified_at"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every staff view of a person's data is audited, the admin included.
        subject = User.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if subject is not None:
            action = "admin.user_changed" if request.method == "POST" else "admin.user_viewed"
            audit_request(request, action=action, subject=subject, object_type="user", object_id=subject.pk)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(RegisterOffice)
class RegisterOfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "postcode"]
    list_filter = ["region"]
    search_fields = ["code", "name", "welsh_name", "town", "postcode"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "at", "actor_email", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_email", "object_id", "action"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "written_at", "entry_count", "signing_key_id", "storage_name"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "status", "attempts"]
    list_filter = ["channel", "status"]
    # Message bodies hold codes; admins see delivery state, not content.
    exclude = ["body", "to"]
