"""The protocol's addresses, under the library's namespace (its views reverse these names):
discovery at the site root, so the issuer is the site itself, and the endpoints under /oidc/.
The library's own client-management pages are not exposed; staff register services in ours."""

from django.urls import path
from oauth2_provider import views as library

from . import provider_views

app_name = "oauth2_provider"

urlpatterns = [
    path(
        ".well-known/openid-configuration", provider_views.DiscoveryView.as_view(), name="oidc-connect-discovery-info"
    ),
    path("oidc/jwks.json", library.JwksInfoView.as_view(), name="jwks-info"),
    path("oidc/authorize/", provider_views.ConsentView.as_view(), name="authorize"),
    path("oidc/token/", provider_views.RateLimitedTokenView.as_view(), name="token"),
    path("oidc/revoke/", library.RevokeTokenView.as_view(), name="revoke-token"),
    path("oidc/userinfo/", library.UserInfoView.as_view(), name="user-info"),
    path("oidc/logout/", provider_views.LogoutView.as_view(), name="rp-initiated-logout"),
]
