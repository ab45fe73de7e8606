"""Marriages and civil partnerships, from notice to the register entry, in plain modules by topic:
the shared time and age rules (`rules`), the refusals (`refusals`), the Home Office adapter
(`home_office`), giving notice online (`notice_*`), interviews and the referral
(`interview_*`), the public display and objections (`display_*`, `objection_*`), the authority,
the schedule and registering (`schedule_*`), and conversions (`conversion_*`).

The registration domain reaches the national calendar here: `registrar` imports `booking` (the
ceremony a couple booked, the interview appointment), never the other way round; booking learns
what the notices allow through the `BOOKING_CEREMONY_NOTICES` setting."""
