"""The provider's records in the admin are read-only: clients are registered, re-keyed and switched
off only on the staff pages, whose every action is audited. Tokens are never shown."""

from django.contrib import admin
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from core.admin import ReadOnlyAdmin

from .models import ServiceClient

for model in (Application, AccessToken, Grant, IDToken, RefreshToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(ServiceClient)
class ServiceClientAdmin(ReadOnlyAdmin):
    list_display = ["name", "contact_email", "registered_at", "disabled_at"]
    fields = ["contact_email", "allowed_scopes", "sector", "registered_by", "registered_at", "disabled_at"]
