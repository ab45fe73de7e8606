"""Booking: the national calendar of venues, rooms, officers' rota, slots, holds, ceremony and notice bookings."""
