"""Writes for birth and death registrations: start a draft, save answers step by step, submit,
invite and hear from the second parent, register (automatically when every rule is met, or by
a registrar), and record medical certificates and the coroner's release. Each service runs in
one transaction and sends its messages on commit.

By topic: `submission` (draft to declaration), `deciding` (registered at once or handed to a
registrar), `second_parent` (joint registration), `registering` (the entry, the green form),
`medical_certificates` and `news` (what the informant is told)."""

from ..refusals import RegistrationRefused
from .deciding import decide, taken_in_person
from .medical_certificates import record_medical_certificate, record_written_notice, release_from_coroner
from .news import registration_news_message, tell_informant
from .registering import (
    GREEN_FORM_SALT,
    green_form_message,
    green_form_token,
    register_registration,
    registration_for_green_form_token,
)
from .second_parent import (
    SECOND_PARENT_SALT,
    cancel_invitation,
    confirm_as_second_parent,
    decline_as_second_parent,
    invite_second_parent,
    registration_for_token,
    second_parent_invitation_message,
    second_parent_token,
    stillbirth_parent_invitation_message,
)
from .submission import (
    check_step,
    may_declare,
    refresh_derived,
    save_answers,
    start_registration,
    submit_registration,
)

__all__ = [
    "GREEN_FORM_SALT",
    "RegistrationRefused",
    "SECOND_PARENT_SALT",
    "cancel_invitation",
    "check_step",
    "confirm_as_second_parent",
    "decide",
    "decline_as_second_parent",
    "green_form_message",
    "green_form_token",
    "invite_second_parent",
    "may_declare",
    "record_medical_certificate",
    "record_written_notice",
    "refresh_derived",
    "register_registration",
    "registration_for_green_form_token",
    "registration_for_token",
    "registration_news_message",
    "release_from_coroner",
    "save_answers",
    "second_parent_invitation_message",
    "second_parent_token",
    "start_registration",
    "stillbirth_parent_invitation_message",
    "submit_registration",
    "taken_in_person",
    "tell_informant",
]
