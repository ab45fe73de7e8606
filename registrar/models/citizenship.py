"""Citizenship ceremonies, the registrar's side: the Home Office's `CitizenshipInvitation` to a
person granted British citizenship (who they are, by when they must attend, the person it was
matched to once they proved their identity, a private ceremony they asked for instead), and the
`CeremonyAttendance` the registrar records on the day (oath or affirmation, pledge, certificate
handed over, or did not attend), told back to the Home Office. Seats at group ceremonies are
booking's (`booking.CitizenshipSeat`, tied to the invitation by its reference); the entry in the
citizenship register is a `RegisterEntry` (event Z) written by `registrar/register.py`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Booking
from core.status import StatusMachine
from identity.models import RegisterOffice, User

from .registrations import RegisterEntry

# Permissions, held through roles (identity/roles.py).
SEND_CITIZENSHIP_INVITATIONS = "registrar.send_citizenship_invitations"  # the Home Office's client
WORK_CITIZENSHIP = "registrar.work_citizenship"  # registrars: match, extend, record the day

__all__ = [
    "SEND_CITIZENSHIP_INVITATIONS",
    "WORK_CITIZENSHIP",
    "CitizenshipInvitation",
    "CeremonyAttendance",
]


class CitizenshipInvitation(StatusMachine, models.Model):
    """The Home Office's invitation to attend a citizenship ceremony by `attend_by`."""

    class Route(models.TextChoices):
        NATURALISATION = "naturalisation", _("Naturalisation")
        REGISTRATION = "registration", _("Registration")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited: not yet matched to an account")
        TO_CHECK = "to_check", _("Waiting for a registrar to check the person's details")
        MATCHED = "matched", _("Matched to the person")
        ATTENDED = "attended", _("Attended the ceremony")
        NOT_ATTENDED = "not_attended", _("Did not attend")

    class Pledge(models.TextChoices):
        OATH = "oath", _("Oath of allegiance")
        AFFIRMATION = "affirmation", _("Affirmation of allegiance")

    class Private(models.TextChoices):
        NONE = "", _("Not asked for")
        REQUESTED = "requested", _("Asked for: the office will arrange it")

    OPEN = frozenset({Status.INVITED, Status.TO_CHECK, Status.MATCHED})
    TRANSITIONS = {
        "match": (frozenset({Status.INVITED, Status.TO_CHECK}), Status.MATCHED),
        "to_check": (frozenset({Status.INVITED}), Status.TO_CHECK),
        "attend": (frozenset({Status.MATCHED}), Status.ATTENDED),
        "not_attend": (frozenset({Status.INVITED, Status.TO_CHECK, Status.MATCHED}), Status.NOT_ATTENDED),
    }

    reference = models.CharField(max_length=20, unique=True)
    home_office_reference = models.CharField(max_length=60, unique=True)
    forenames = models.CharField(max_length=200)
    surname = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    email = models.EmailField()
    postcode = models.CharField(max_length=10)
    route = models.CharField(max_length=20, choices=Route.choices)
    invited_on = models.DateField()
    attend_by = models.DateField()
    # The register office of the person's district (from the postcode), where they would usually attend.
    office = models.ForeignKey(RegisterOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="citizenship_invitations"
    )
    # The signed link's nonce: a new invitation email makes the last link useless.
    link_nonce = models.CharField(max_length=32, blank=True)
    # Who tried the link but did not match (the registrar decides), and why.
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mismatch = models.JSONField(default=list, blank=True, help_text="Which particulars did not match.")
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A registrar's extension of attend_by, with the reason.
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    extension_reason = models.TextField(blank=True)
    # A private ceremony asked for instead of a group one; the office arranges the date.
    private = models.CharField(max_length=12, choices=Private.choices, blank=True, default=Private.NONE)
    private_pledge = models.CharField(max_length=12, choices=Pledge.choices, blank=True)
    private_welsh = models.BooleanField(default=False)
    private_fee_pence = models.PositiveIntegerField(null=True, blank=True)
    private_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("send_citizenship_invitations", "Can send citizenship ceremony invitations (the Home Office's client)"),
            ("work_citizenship", "Can match invitations, extend them and record citizenship ceremonies"),
        ]

    def __str__(self) -> str:
        return f"Citizenship invitation {self.reference} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}".strip()


class CeremonyAttendance(StatusMachine, models.Model):
    """What happened for one invitation: the day's record at a group ceremony (oath or
    affirmation, in English or Welsh, the pledge, the certificate handed over and its number), or
    that the person did not attend (on the day, or by attend_by passing). Told to the Home Office
    through the adapter, once, by a Celery task that retries (`report_*`)."""

    class Outcome(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        NOT_ATTENDED = "not_attended", _("Did not attend")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")

    class Status(models.TextChoices):
        TO_REPORT = "to_report", _("Waiting to be told to the Home Office")
        REPORTED = "reported", _("Told to the Home Office")
        FAILED = "failed", _("Could not be told to the Home Office")

    TRANSITIONS = {
        "reported": (frozenset({Status.TO_REPORT}), Status.REPORTED),
        "failed": (frozenset({Status.TO_REPORT}), Status.FAILED),
        "report_again": (frozenset({Status.FAILED}), Status.TO_REPORT),
    }

    invitation = models.OneToOneField(CitizenshipInvitation, on_delete=models.PROTECT, related_name="attendance")
    # The group ceremony (a CITIZENSHIP_GROUP booking) and the seat; none when attend_by passed.
    ceremony = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seat_reference = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    pledge_form = models.CharField(max_length=12, choices=CitizenshipInvitation.Pledge.choices, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    made_pledge = models.BooleanField(default=False)
    certificate_number = models.CharField(max_length=30, blank=True)
    entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="citizenship_attendance"
    )
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_REPORT)
    report_attempts = models.PositiveSmallIntegerField(default=0)
    report_next_attempt_at = models.DateTimeField(null=True, blank=True)
    report_error = models.CharField(max_length=60, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    home_office_receipt = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="not_attended") | (~Q(pledge_form="") & ~Q(language="") & Q(made_pledge=True)),
                name="citizenship_attended_took_oath_and_pledge",
            ),
            models.CheckConstraint(
                condition=Q(outcome="attended") | Q(entry__isnull=True),
                name="citizenship_entry_only_when_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance for {self.invitation.reference}: {self.get_outcome_display()}"
