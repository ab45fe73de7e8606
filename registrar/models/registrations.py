"""The registration domain: births and deaths as people register them (`Registration`, a draft
until it is registered), medical certificates of cause of death sent by medical examiners, and
the central register itself: `RegisterEntry` rows written once, numbered without gaps per
district, event and year, with `EntryCorrection` rows beside them and `IndexName` rows that
make up the public index."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.status import StatusMachine
from identity.models import RegisterOffice, User


class Event(models.TextChoices):
    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")
    MARRIAGE = "marriage", _("Marriage")
    CIVIL_PARTNERSHIP = "civil_partnership", _("Civil partnership")
    # The register of still-births: never in the public index, copies only to the parents.
    STILLBIRTH = "stillbirth", _("Still-birth")
    # The record of citizenship ceremonies: who took the oath (or affirmation) and the pledge.
    CITIZENSHIP = "citizenship", _("Citizenship ceremony")


# How an entry reference names its register (`LEEDS/S/2026/000004`): one letter per event.
EVENT_LETTERS: dict[str, str] = {
    Event.BIRTH: "B",
    Event.DEATH: "D",
    Event.MARRIAGE: "M",
    Event.CIVIL_PARTNERSHIP: "C",
    Event.STILLBIRTH: "S",
    Event.CITIZENSHIP: "Z",
}
EVENT_BY_LETTER: dict[str, str] = {letter: event for event, letter in EVENT_LETTERS.items()}
# Registers the public index searches; the others are found only by staff and by the people
# the entry is about (REGISTRATION-RULES.md "Stillbirths").
PUBLIC_INDEX_EVENTS = frozenset({Event.BIRTH, Event.DEATH, Event.MARRIAGE, Event.CIVIL_PARTNERSHIP})


class WriteOnceModel(models.Model):
    """Rows of the register are never changed or deleted once written (DESIGN.md invariant 1).
    On PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0002)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Register rows are written once and never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Register rows are never deleted.")


class Registration(StatusMachine, models.Model):
    """A birth or death being registered: the answers given so far (saved as the person goes, so
    they can come back), the district it belongs to, its deadline, and where it is now."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet sent")
        AWAITING_SECOND_PARENT = "awaiting_second_parent", _("Waiting for the other parent")
        WITH_REGISTRAR = "with_registrar", _("With a registrar")
        INFORMATION_REQUESTED = "information_requested", _("More information needed")
        AWAITING_AUTHORITY = "awaiting_authority", _("Waiting for the Registrar General's authority")
        BLOCKED_BY_CORONER = "blocked_by_coroner", _("Waiting for the coroner")
        REGISTERED = "registered", _("Registered")
        REJECTED = "rejected", _("Not registered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # --- Status sets that mean something, each named once --------------------------------------
    # Not yet registered, rejected or withdrawn.
    OPEN = frozenset(
        {
            Status.DRAFT,
            Status.AWAITING_SECOND_PARENT,
            Status.WITH_REGISTRAR,
            Status.INFORMATION_REQUESTED,
            Status.AWAITING_AUTHORITY,
            Status.BLOCKED_BY_CORONER,
        }
    )
    # The informant may change the answers and send them (again).
    EDITABLE = frozenset({Status.DRAFT, Status.INFORMATION_REQUESTED})
    # Still something the informant can do before the deadline (answer, send, chase the other parent).
    REMINDABLE = frozenset({Status.DRAFT, Status.AWAITING_SECOND_PARENT, Status.INFORMATION_REQUESTED})
    # In the registrar's queue. INFORMATION_REQUESTED waits for the person and comes back as
    # WITH_REGISTRAR when they answer.
    QUEUED = frozenset({Status.WITH_REGISTRAR, Status.AWAITING_AUTHORITY, Status.BLOCKED_BY_CORONER})
    # Sent and open: a case someone works on (and that can run past its deadline meanwhile).
    IN_CASEWORK = QUEUED | {Status.INFORMATION_REQUESTED}
    # Where the rules are applied from: registered at once, or handed to a person who must look.
    DECIDABLE = EDITABLE | {Status.AWAITING_SECOND_PARENT, Status.BLOCKED_BY_CORONER}
    # Not claims to an event (for likely duplicates): drafts are not sent, rejected and withdrawn
    # ones are settled, registered ones are checked through their register entries.
    NOT_CLAIMS = frozenset({Status.DRAFT, Status.REJECTED, Status.WITHDRAWN, Status.REGISTERED})
    # Final: `decided_at` is set when a registration gets here.
    DECIDED = frozenset({Status.REGISTERED, Status.REJECTED, Status.WITHDRAWN})
    MOVED_AT = "updated_at"
    DECIDED_AT = "decided_at"

    # --- Every status change: name -> (from, to) ------------------------------------------------
    # Applied only through `move()`; what a person may do now is read from the same table.
    TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
        # The citizen's side (services)
        "invite_second_parent": (EDITABLE, Status.AWAITING_SECOND_PARENT),
        "second_parent_declined": (frozenset({Status.AWAITING_SECOND_PARENT}), Status.DRAFT),
        "cancel_invitation": (frozenset({Status.AWAITING_SECOND_PARENT}), Status.DRAFT),
        "send_to_registrar": (DECIDABLE, Status.WITH_REGISTRAR),
        "wait_for_authority": (DECIDABLE, Status.AWAITING_AUTHORITY),
        "wait_for_coroner": (DECIDABLE, Status.BLOCKED_BY_CORONER),
        "answer_question": (frozenset({Status.INFORMATION_REQUESTED}), Status.WITH_REGISTRAR),
        # The register's writer: automatically when every rule is met, or by a registrar.
        "register": (OPEN, Status.REGISTERED),
        # A registrar's decisions on a case (casework)
        "register_case": (frozenset({Status.WITH_REGISTRAR}), Status.REGISTERED),
        "escalate": (frozenset({Status.WITH_REGISTRAR}), Status.AWAITING_AUTHORITY),
        "request_information": (frozenset({Status.WITH_REGISTRAR}), Status.INFORMATION_REQUESTED),
        "reject": (frozenset({Status.WITH_REGISTRAR, Status.BLOCKED_BY_CORONER}), Status.REJECTED),
        "authorise": (frozenset({Status.AWAITING_AUTHORITY}), Status.WITH_REGISTRAR),
        "refuse_authority": (frozenset({Status.AWAITING_AUTHORITY}), Status.REJECTED),
    }

    reference = models.CharField(max_length=20, unique=True)
    event = models.CharField(
        max_length=20,
        choices=[
            (Event.BIRTH, Event.BIRTH.label),
            (Event.DEATH, Event.DEATH.label),
            (Event.STILLBIRTH, Event.STILLBIRTH.label),
        ],
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    informant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="registrations")
    # Every answer, keyed by question; kept as the person goes so nothing is lost between visits.
    answers = models.JSONField(default=dict, blank=True)
    district = models.ForeignKey(
        RegisterOffice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text="The registration district (where the birth or death took place).",
    )
    event_date = models.DateField(null=True, blank=True, help_text="Date of birth or of death.")
    deadline = models.DateField(null=True, blank=True, help_text="Last day to register without being late.")
    medical_certificate = models.ForeignKey(
        "MedicalCertificate", null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    reasons = models.JSONField(default=list, blank=True, help_text="Why a registrar must look at it.")
    assigned_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Stillbirths: the medical certificate of stillbirth the parent's answers are matched to.
    stillbirth_certificate = models.ForeignKey(
        "StillbirthCertificate", null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )

    # --- Registrations taken by staff, and how every informant made the declaration --------------
    # A registrar at the office, or phone support in an assisted session, may take a registration
    # for someone who cannot use the online service; the informant still makes the declaration.
    class DeclarationMethod(models.TextChoices):
        ONLINE = "online", _("Online, signed in as themselves")
        CODE = "code", _("With a one-time code sent to the informant")
        IN_PERSON = "in_person", _("In person: the declaration was read to and signed by the informant")

    made_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Staff who took it."
    )
    assisted_session = models.ForeignKey(
        "identity.AssistedSession", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    informant_documents = models.CharField(
        max_length=500, blank=True, help_text="The documents a registrar saw to establish the informant's identity."
    )
    declaration_method = models.CharField(max_length=20, choices=DeclarationMethod.choices, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    declaration_witnessed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="In person only."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "district", "submitted_at"], name="registration_queue"),
            models.Index(fields=["event", "event_date"], name="registration_event_date"),
            models.Index(fields=["event", "created_at"], name="registration_started"),
        ]
        permissions = [
            ("work_registrations", "Can work registration cases and register entries"),
            ("correct_entries", "Can record a correction to a register entry"),
            ("authorise_late_registration", "Can give the Registrar General's authority for a late registration"),
            ("submit_medical_certificates", "Can send medical certificates of cause of death (integrators)"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} registration {self.reference} ({self.get_status_display()})"


class MedicalCertificate(models.Model):
    """A medical certificate of cause of death (MCCD) as a medical examiner sent it through the
    API. The 5 days to register a death count from `received_at`. A death referred to the
    coroner cannot be registered until the coroner releases it."""

    reference = models.CharField(max_length=40, unique=True)
    deceased_given_names = models.CharField(max_length=200)
    deceased_surname = models.CharField(max_length=200)
    deceased_date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField()
    place_of_death = models.CharField(max_length=300)
    district = models.ForeignKey(RegisterOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cause_of_death = models.TextField()
    certifying_practitioner = models.CharField(max_length=200)
    medical_examiner = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    # Written notice that the MCCD has been issued extends the 5 days by 9 (REGISTRATION-RULES.md).
    extension_notified_at = models.DateTimeField(null=True, blank=True)
    referred_to_coroner = models.BooleanField(default=False)
    coroner_released_at = models.DateTimeField(null=True, blank=True)
    inquest_open = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"MCCD {self.reference} for {self.deceased_given_names} {self.deceased_surname}"

    @property
    def blocks_registration(self) -> bool:
        return self.referred_to_coroner and self.coroner_released_at is None


class EntryCounter(models.Model):
    """The last number used in one register (district, event, year). Taken under a row lock in
    the same transaction as the entry it numbers, so a rolled-back entry gives its number back
    and the numbers stay consecutive."""

    district = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=20, choices=Event.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "event", "year"], name="one_counter_per_register"),
        ]

    def __str__(self) -> str:
        return f"{self.district.code} {self.event} {self.year}: {self.last_number}"


class RegisterEntry(WriteOnceModel):
    """One entry of the central register, as registered. `particulars` holds the full text of the
    entry (every field, by name); the columns beside it are what the index and certificates
    need. Historic entries are loaded from the paper registers and have no registration."""

    district = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="register_entries")
    event = models.CharField(max_length=20, choices=Event.choices)
    year = models.PositiveSmallIntegerField(help_text="Year of registration.")
    number = models.PositiveIntegerField(help_text="Consecutive within district, event and year.")
    event_date = models.DateField(help_text="Date of the birth, death, marriage or civil partnership.")
    surname = models.CharField(max_length=200)
    forenames = models.CharField(max_length=300)
    particulars = models.JSONField(default=dict)
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Empty when automatic."
    )
    registered_automatically = models.BooleanField(default=False)
    late_authority = models.BooleanField(
        default=False,
        help_text="Registered more than 12 months after the event with the Registrar General's authority.",
    )
    historic = models.BooleanField(default=False, help_text="Loaded from the historic registers.")

    class Meta:
        verbose_name_plural = "register entries"
        ordering = ["district", "event", "year", "number"]
        indexes = [models.Index(fields=["registered_at"], name="entry_registered_at")]
        constraints = [
            models.UniqueConstraint(fields=["district", "event", "year", "number"], name="entry_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="entry_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} entry {self.entry_reference}: {self.forenames} {self.surname}"

    @property
    def entry_reference(self) -> str:
        """How an entry is cited: district, event, year and number, e.g. LEEDS/B/2026/000123."""
        return f"{self.district.code}/{self.letter}/{self.year}/{self.number:06d}"

    @property
    def letter(self) -> str:
        """The register's letter in the entry reference and the entry page's URL."""
        return EVENT_LETTERS[self.event]


class EntryCorrection(WriteOnceModel):
    """A correction recorded beside an entry: the field, its value before and after, why, and on
    what evidence. The entry itself is never overwritten; certificates show both."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField(max_length=80)
    old_value = models.TextField(blank=True)
    new_value = models.TextField()
    reason = models.TextField()
    evidence = models.TextField(help_text="The documents seen, e.g. 'passport 123456789 seen by registrar'.")
    corrected_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "corrected_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.field} on entry {self.entry_id}"


class IndexName(WriteOnceModel):
    """A line of the public index: one per person an entry is indexed under (the child, the
    deceased, each party to a marriage). Holds only the index fields, normalised for search:
    `surname_key` is the surname upper-cased without accents or punctuation, and
    `surname_phonetic` its sounds-like code (`registrar.names.phonetic_code`)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="index_names")
    event = models.CharField(max_length=20, choices=Event.choices)
    district = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    surname = models.CharField(max_length=200)
    forenames = models.CharField(max_length=300)
    surname_key = models.CharField(max_length=200)
    surname_phonetic = models.CharField(max_length=40)
    # Births: the mother's maiden surname; marriages: the other party's surname; deaths: empty.
    other_surname = models.CharField(max_length=200, blank=True)
    # Deaths: age at death, as the index shows it.
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    # Added for corrections reaching the index: a line written after a correction changed a
    # name the index holds (`correction`), standing for the line it replaces (`replaces`, the
    # entry's original line for that person). Both empty on lines written with the entry.
    correction = models.ForeignKey(
        EntryCorrection, null=True, blank=True, on_delete=models.PROTECT, related_name="index_names"
    )
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")

    class Meta:
        indexes = [
            models.Index(fields=["surname_key", "event", "year"], name="index_surname_year"),
            models.Index(fields=["surname_phonetic", "event", "year"], name="index_phonetic_year"),
        ]

    def __str__(self) -> str:
        return f"{self.surname}, {self.forenames} ({self.event} {self.year} Q{self.quarter})"


# --- Casework ------------------------------------------------------------------------------------


class CaseAction(models.Model):
    """One step in a registration case, in order: assigned, information asked for and given,
    escalated to the Registrar General, authority given or refused, registered, rejected. The
    case page shows them as its history; the decisions among them are audited too."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        INFORMATION_REQUESTED = "information_requested", _("More information asked for")
        INFORMATION_GIVEN = "information_given", _("Information given")
        ESCALATED = "escalated", _("Sent for the Registrar General's authority")
        AUTHORITY_GIVEN = "authority_given", _("Registrar General's authority given")
        AUTHORITY_REFUSED = "authority_refused", _("Registrar General's authority refused")
        REGISTERED = "registered", _("Registered")
        REJECTED = "rejected", _("Not registered")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="case_actions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    text = models.TextField(blank=True, help_text="The reason, the question asked or the answer given.")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.registration_id}"


# --- Events and webhooks -------------------------------------------------------------------------


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CORRECTED = "corrected", _("Corrected")
    # A new signed checkpoint of the audit log, so integrators can keep their own copy of it.
    AUDIT_CHECKPOINT = "audit_checkpoint", _("Audit log checkpoint")


class WebhookSubscription(models.Model):
    """An integrator told of register events ("tell us once"): where to send them, the secret
    that signs them, which kinds they want. Managed by service admins in the Django admin."""

    integrator = models.CharField(max_length=200)
    url = models.URLField(max_length=500, help_text="Must be https:// except when DEBUG is on.")
    secret = models.CharField(max_length=100, help_text="Shared with the integrator; signs every delivery.")
    events = models.JSONField(default=list, help_text='Kinds wanted, e.g. ["registered", "corrected"].')
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["integrator"]

    def __str__(self) -> str:
        return f"{self.integrator} ({self.url})"

    def clean(self) -> None:
        if not settings.DEBUG and not self.url.lower().startswith("https://"):
            raise ValidationError({"url": _("Webhook addresses must start with https://")})
        if not isinstance(self.events, list) or not self.events:
            raise ValidationError({"events": _("Choose at least one kind of event")})
        unknown = [kind for kind in self.events if kind not in EventKind.values]
        if unknown:
            raise ValidationError(
                {"events": _("Unknown kinds of event: %(kinds)s") % {"kinds": ", ".join(map(str, unknown))}}
            )
        if len(self.secret) < 32:
            raise ValidationError({"secret": _("The secret must be at least 32 characters")})


class RegisterEvent(models.Model):
    """Something that happened to the register and is told to integrators. Published once per
    entry registered and once per correction (the constraints), with an id that stays the same
    on every retry so receivers can ignore repeats."""

    event_id = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    entry = models.ForeignKey(RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    correction = models.OneToOneField(
        EntryCorrection, null=True, blank=True, on_delete=models.PROTECT, related_name="event"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # The exact body every delivery sends, so a retry is byte-for-byte the first attempt.
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(kind="registered"), name="one_registered_event_per_entry"
            ),
            models.CheckConstraint(
                condition=Q(kind="registered", entry__isnull=False, correction__isnull=True)
                | Q(kind="corrected", entry__isnull=False, correction__isnull=False)
                | Q(kind="audit_checkpoint", entry__isnull=True, correction__isnull=True),
                name="event_has_what_its_kind_needs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class WebhookDelivery(models.Model):
    """One event to one subscription. Unique per pair, so publishing or sweeping twice never
    sends an event twice to the same integrator (beyond an at-least-once retry)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(RegisterEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="one_delivery_per_event_and_subscription"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription} ({self.status})"
