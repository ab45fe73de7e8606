"""URL patterns of one part of the marriage journey, joined by the package's urls, staff_urls and api_urls."""

urlpatterns: list = []
