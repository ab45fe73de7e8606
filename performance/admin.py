"""The survey's answers in the admin: read by the service team to learn what to improve, never
changed there."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import FeedbackResponse


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(ReadOnlyAdmin):
    list_display = ("given_on", "journey", "rating", "comment")
    list_filter = ("journey", "rating", "given_on")
    search_fields = ("comment",)
