"""Admin for venues and rooms; bookings are read-only here (changes go through the services)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import BankHoliday, Booking, Room, RoomPattern, Venue


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "office", "capacity"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "postcode"]
    inlines = [RoomInline]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "status", "room", "starts_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference"]


@admin.register(BankHoliday)
class BankHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "title"]
    date_hierarchy = "date"


@admin.register(RoomPattern)
class RoomPatternAdmin(admin.ModelAdmin):
    list_display = ["room", "kind", "weekday", "opens", "closes", "duration_minutes", "gap_minutes"]
    list_filter = ["kind", "weekday"]
    search_fields = ["room__venue__name"]
    list_select_related = ["room__venue"]
