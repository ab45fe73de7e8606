"""Staff pages for marriages and civil partnerships (mounted at /staff/marriages/): notice cases
and interviews, objections and suspicion reports, the ceremony and its schedule, conversions."""

from . import conversion_staff_urls, interview_staff_urls, objection_staff_urls, schedule_staff_urls

app_name = "marriage-staff"

urlpatterns = [
    *interview_staff_urls.urlpatterns,
    *objection_staff_urls.urlpatterns,
    *schedule_staff_urls.urlpatterns,
    *conversion_staff_urls.urlpatterns,
]
