"""Booking's models, by topic: venues and rooms (`venues`); bookings, their parties, witnesses and
the occupancy rows that make a room or an officer busy (`bookings`); what else the published
calendar is made of, from weekly patterns to the rota (`calendar`); and citizenship ceremonies
(`citizenship`). Every name is here too, so `from booking.models import Booking` is the import."""

from .bookings import MANAGE_DIARY, Booking, BookingQuerySet, IdempotentRequest, Occupancy, Party, Witness
from .calendar import BankHoliday, CalendarFeed, CalendarStamp, Closure, OfficerAbsence, RoomPattern, RotaShift
from .citizenship import CitizenshipCeremony, CitizenshipPrivateCeremony, CitizenshipSeat
from .venues import Room, Venue

__all__ = [
    "MANAGE_DIARY",
    "BankHoliday",
    "Booking",
    "BookingQuerySet",
    "CalendarFeed",
    "CalendarStamp",
    "CitizenshipCeremony",
    "CitizenshipPrivateCeremony",
    "CitizenshipSeat",
    "Closure",
    "IdempotentRequest",
    "Occupancy",
    "OfficerAbsence",
    "Party",
    "Room",
    "RoomPattern",
    "RotaShift",
    "Venue",
    "Witness",
]
