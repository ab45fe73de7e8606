"""The marriage and civil partnership API, joined into the registration API."""

from core import paths  # noqa: F401 - registers <ref:…>

from . import conversion_api_urls, interview_api_urls, notice_api_urls, objection_api_urls, schedule_api_urls

urlpatterns = [
    *notice_api_urls.urlpatterns,
    *interview_api_urls.urlpatterns,
    *objection_api_urls.urlpatterns,
    *schedule_api_urls.urlpatterns,
    *conversion_api_urls.urlpatterns,
]
