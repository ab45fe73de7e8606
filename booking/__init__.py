"""Booking: venues, rooms, officers' rota, slots, holds and ceremony bookings (built by a later issue)."""
