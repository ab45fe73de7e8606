from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "identity.oidc"
    label = "identity_oidc"
    verbose_name = "Sign in elsewhere (OpenID Connect)"
    default_auto_field = "django.db.models.BigAutoField"
