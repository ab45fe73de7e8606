"""Registrations taken by staff for people who cannot use the online service: a registrar at
the office (in person) or phone support in an assisted session asks the same questions with the
same forms and rules, and the informant still makes the declaration (a one-time code sent to
them, or in person before the registrar)."""
