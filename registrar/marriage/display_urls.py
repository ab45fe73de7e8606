"""The public notices page (mounted at /notices/)."""

app_name = "notices"

urlpatterns: list = []
