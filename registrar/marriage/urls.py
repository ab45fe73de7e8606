"""Citizen pages for marriages and civil partnerships (mounted at /marry/): giving notice, booking
the interview, and the schedule of a religious marriage. Each part keeps its own patterns; the
notice pages come last because their addresses end in a question's name."""

from . import interview_urls, notice_urls, schedule_urls

app_name = "marriage"

urlpatterns = [*interview_urls.urlpatterns, *schedule_urls.urlpatterns, *notice_urls.urlpatterns]
