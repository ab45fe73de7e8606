"""Marriages and civil partnerships before they are registered: a `Proposal` (the couple's
intended marriage or partnership, its venue and the ceremony booked for it), each person's
`Notice` (their answers, their interview, when notice was given and displayed), the Home Office
referral, `Objection`s to a displayed notice, `SuspicionReport`s of a sham or forced marriage,
the `Schedule` the ceremony is registered from, and `Conversion`s of a civil partnership into a
marriage. The entries themselves are `RegisterEntry` rows (events M and C), written by
`registrar/register.py` like every other entry."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Booking, Party, Venue
from core.status import StatusMachine
from identity.models import RegisterOffice, User

from .registrations import RegisterEntry

# Permissions, held through roles (identity/roles.py).
WORK_NOTICES = "registrar.work_notices"  # interview, decide objections, issue authority, register
RETURN_SCHEDULES = "registrar.return_schedules"  # an authorised person returning signed schedules
DECIDE_REFERRALS = "registrar.decide_referrals"  # the Home Office's client telling its decision


def ending_evidence_upload_path(instance: Notice, filename: str) -> str:
    """A random name in one folder (the orphan-file sweep reads the folder from here): nothing the
    person sent, name or extension, reaches the disk."""
    return f"notices/{secrets.token_hex(16)}.jpg"


class Proposal(StatusMachine, models.Model):
    """A couple's intended marriage or civil partnership: where it will be (a venue with a
    ceremony booked on the national calendar, or for a religious marriage a religious building),
    the two notices given for it, the Home Office's decision when it was referred, and the
    superintendent registrar's authority once the waiting period is over."""

    class Kind(models.TextChoices):
        MARRIAGE = "marriage", _("Marriage")
        CIVIL_PARTNERSHIP = "civil_partnership", _("Civil partnership")

    class Form(models.TextChoices):
        CIVIL = "civil", _("Civil ceremony")
        RELIGIOUS = "religious", _("Religious ceremony")

    class Status(models.TextChoices):
        GIVING_NOTICE = "giving_notice", _("Giving notice")
        WAITING = "waiting", _("Waiting period")
        AUTHORISED = "authorised", _("Authority issued")
        REGISTERED = "registered", _("Registered")
        NOT_TAKEN_PLACE = "not_taken_place", _("Ceremony did not take place")
        BARRED = "barred", _("Objection upheld")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Notice lapsed")

    class HomeOffice(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not referred: both exempt")
        NOT_YET = "not_yet", _("Not referred yet")
        PENDING = "pending", _("Referred, waiting for the Home Office")
        NOT_INVESTIGATING = "not_investigating", _("Home Office not investigating")
        INVESTIGATING = "investigating", _("Home Office investigating")
        FAILED = "failed", _("Referral could not be sent")

    OPEN = frozenset({Status.GIVING_NOTICE, Status.WAITING, Status.AUTHORISED, Status.NOT_TAKEN_PLACE})
    TRANSITIONS = {
        "both_notices_given": (frozenset({Status.GIVING_NOTICE}), Status.WAITING),
        "issue_authority": (frozenset({Status.WAITING}), Status.AUTHORISED),
        "register": (frozenset({Status.AUTHORISED}), Status.REGISTERED),
        # No entry is written; the notices stay good for a new booking at the same venue.
        "did_not_take_place": (frozenset({Status.AUTHORISED}), Status.NOT_TAKEN_PLACE),
        "rebook": (frozenset({Status.NOT_TAKEN_PLACE}), Status.AUTHORISED),
        "uphold_objection": (frozenset({Status.GIVING_NOTICE, Status.WAITING}), Status.BARRED),
        "withdraw": (frozenset({Status.GIVING_NOTICE, Status.WAITING, Status.AUTHORISED}), Status.WITHDRAWN),
        "lapse": (
            frozenset({Status.GIVING_NOTICE, Status.WAITING, Status.AUTHORISED, Status.NOT_TAKEN_PLACE}),
            Status.LAPSED,
        ),
    }

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    form = models.CharField(max_length=10, choices=Form.choices, default=Form.CIVIL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.GIVING_NOTICE)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="proposals")
    # A civil ceremony: the provisional booking on the national calendar and its venue.
    ceremony = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal")
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A religious marriage: the building named in the notices, and the date the couple intend.
    religious_building = models.CharField(max_length=300, blank=True)
    intended_date = models.DateField(null=True, blank=True)
    # Where the ceremony is: the register the entry is written in.
    district = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="+")
    home_office = models.CharField(max_length=20, choices=HomeOffice.choices, default=HomeOffice.NOT_YET)
    home_office_reference = models.CharField(max_length=60, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    home_office_decided_at = models.DateTimeField(null=True, blank=True)
    authority_issued_at = models.DateTimeField(null=True, blank=True)
    authority_issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The Home Office referral's sending (interviews part): attempts counted on the row so that a
    # retry and the sweeper share one count, when to try next, and why the last try failed.
    referral_attempts = models.PositiveSmallIntegerField(default=0)
    referral_next_attempt_at = models.DateTimeField(null=True, blank=True)
    referral_error = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="civil_partnership", form="religious"),
                name="proposal_partnership_is_civil",
            ),
            models.CheckConstraint(
                condition=Q(form="religious") | Q(religious_building=""),
                name="proposal_building_only_when_religious",
            ),
        ]
        permissions = [
            ("work_notices", "Can interview, decide objections, issue authority and register marriages"),
            ("return_schedules", "Can return signed marriage schedules (authorised persons)"),
            # The Home Office's own client telling its decision on a referral (interviews part).
            ("decide_referrals", "Can tell the Home Office's decision on a referred notice (API)"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} ({self.get_status_display()})"

    @property
    def event(self) -> str:
        """The register the entry is written in."""
        return "marriage" if self.kind == self.Kind.MARRIAGE else "civil_partnership"

    @property
    def wait_days_decided(self) -> bool:
        return self.home_office in {
            self.HomeOffice.NOT_NEEDED,
            self.HomeOffice.NOT_INVESTIGATING,
            self.HomeOffice.INVESTIGATING,
        }


class Notice(StatusMachine, models.Model):
    """One person's notice of marriage or civil partnership. They answer one question per page,
    saved as they go (`answers`, keys documented in `registrar/marriage/answers.py`), then send
    it; it is *given* when a registrar has interviewed them (in person or by video) and recorded
    the outcome. A given notice is displayed publicly for 28 days from `given_on`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet sent")
        SENT = "sent", _("Waiting for the interview")
        GIVEN = "given", _("Notice given")
        REFUSED = "refused", _("Notice not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Condition(models.TextChoices):
        NEVER = "never", _("Never married or in a civil partnership")
        DIVORCED = "divorced", _("Divorced or civil partnership dissolved")
        WIDOWED = "widowed", _("Widowed or surviving civil partner")

    class InterviewMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person at a register office")
        VIDEO = "video", _("By video")

    EDITABLE = frozenset({Status.DRAFT})
    TRANSITIONS = {
        "send": (frozenset({Status.DRAFT}), Status.SENT),
        "give": (frozenset({Status.SENT}), Status.GIVEN),
        "refuse": (frozenset({Status.SENT}), Status.REFUSED),
        "reopen": (frozenset({Status.SENT}), Status.DRAFT),
        "withdraw": (frozenset({Status.DRAFT, Status.SENT, Status.GIVEN}), Status.WITHDRAWN),
    }

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notices")
    position = models.PositiveSmallIntegerField()
    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Who gives this notice, with their own identity check. The second person is invited and
    # is null until they accept.
    person = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    invited_email = models.EmailField(blank=True)
    invitation_nonce = models.CharField(max_length=64, blank=True)
    # The party of the ceremony booking this notice is for (civil ceremonies).
    party = models.OneToOneField(
        Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="marriage_notice"
    )
    answers = models.JSONField(default=dict, blank=True)
    # Evidence that a previous marriage or partnership ended: a photo of the final order or
    # decree absolute (decoded, re-encoded and stripped like every upload), or the former
    # spouse's death found in the central register.
    ending_evidence = models.FileField(upload_to=ending_evidence_upload_path, max_length=200, blank=True)
    former_partner_death = models.ForeignKey(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whether this person is exempt from immigration control (British or Irish, settled or
    # pre-settled status, a marriage visa): decided from their answers when they send.
    exempt = models.BooleanField(null=True, blank=True)
    interview = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="marriage_notice"
    )
    interview_mode = models.CharField(max_length=10, choices=InterviewMode.choices, blank=True)
    # The district the notice is given in: the person's own or the one chosen for the interview.
    office = models.ForeignKey(RegisterOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    given_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_note = models.TextField(blank=True)
    display_until = models.DateField(null=True, blank=True, help_text="Last day on the public notices page.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "position"]
        indexes = [models.Index(fields=["created_at"], name="notice_started")]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="notice_position_unique"),
            models.CheckConstraint(condition=Q(position__in=[1, 2]), name="notice_position_one_or_two"),
            models.CheckConstraint(
                condition=~Q(status="given") | Q(given_on__isnull=False, office__isnull=False),
                name="notice_given_has_date_and_office",
            ),
        ]

    def __str__(self) -> str:
        return f"Notice {self.reference} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        names = self.answers.get("names", {})
        return " ".join(part for part in (names.get("forenames", ""), names.get("surname", "")) if part)


class Objection(StatusMachine, models.Model):
    """An objection anyone raised to a displayed notice. It is a case in the registrar queue; a
    superintendent registrar dismisses or upholds it, and an upheld objection bars the authority."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    TRANSITIONS = {
        "dismiss": (frozenset({Status.OPEN}), Status.DISMISSED),
        "uphold": (frozenset({Status.OPEN}), Status.UPHELD),
    }

    reference = models.CharField(max_length=20, unique=True)
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    objector_name = models.CharField(max_length=200)
    objector_email = models.EmailField()
    objector_phone = models.CharField(max_length=30, blank=True)
    # The objector has no account: the language of the page they objected on is the one the
    # decision, sent later, is written in.
    objector_language = models.CharField(max_length=5, blank=True, default="")
    grounds = models.TextField()
    raised_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at"]

    def __str__(self) -> str:
        return f"Objection {self.reference} ({self.get_status_display()})"


class SuspicionReport(models.Model):
    """A registrar's report of a suspected sham or forced marriage or partnership, sent to the
    Home Office through its adapter (the duty to report: REGISTRATION-RULES.md)."""

    class Kind(models.TextChoices):
        SHAM = "sham", _("Sham marriage or civil partnership")
        FORCED = "forced", _("Forced marriage or civil partnership")

    reference = models.CharField(max_length=20, unique=True)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="suspicion_reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    grounds = models.TextField()
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    home_office_reference = models.CharField(max_length=60, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"Suspicion report {self.reference}"


class Schedule(StatusMachine, models.Model):
    """The marriage or civil partnership schedule made when the authority is issued, holding both
    notices' particulars. At a civil ceremony the officiating registrar records the day on it and
    registers; for a religious marriage it is given to the couple for the officiant, who returns
    it signed (through the API, or on paper to a registrar) within 21 days of the ceremony."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RETURNED = "returned", _("Returned signed, not yet registered")
        REGISTERED = "registered", _("Registered")
        NOT_TAKEN_PLACE = "not_taken_place", _("Ceremony did not take place")

    TRANSITIONS = {
        "return_signed": (frozenset({Status.ISSUED}), Status.RETURNED),
        "register": (frozenset({Status.ISSUED, Status.RETURNED}), Status.REGISTERED),
        "did_not_take_place": (frozenset({Status.ISSUED}), Status.NOT_TAKEN_PLACE),
        "reissue": (frozenset({Status.NOT_TAKEN_PLACE}), Status.ISSUED),
    }

    reference = models.CharField(max_length=20, unique=True)
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="schedule")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ISSUED)
    # Both notices' particulars when the authority was issued (parties 1 and 2: names, date of
    # birth, condition, occupation, address, parents), the venue and the kind of ceremony.
    particulars = models.JSONField(default=dict)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # What happened on the day: the date and place, the officiants, the two witnesses, any
    # corrections of particulars and that everyone signed.
    ceremony_date = models.DateField(null=True, blank=True)
    ceremony_place = models.CharField(max_length=300, blank=True)
    officiants = models.JSONField(default=list, blank=True)
    witnesses = models.JSONField(default=list, blank=True)
    corrections = models.JSONField(default=list, blank=True)
    signed = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="schedule"
    )

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Schedule {self.reference} ({self.get_status_display()})"


class Conversion(models.Model):
    """A civil partnership converted into a marriage by both partners' declaration before a
    registrar: written as a marriage entry that references the partnership's entry and is dated
    from the partnership's formation."""

    reference = models.CharField(max_length=20, unique=True)
    partnership = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="conversion")
    marriage = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="converted_from")
    declared_on = models.DateField()
    declared_at = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="+")
    registrar = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Conversion {self.reference}"
