"""Accounts (citizens and staff), the register offices staff belong to, one-time codes and
the failures counted against them, authenticator apps and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class RegisterOffice(models.Model):
    """A local register office: where staff work, where notice is given, a ceremony venue."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    welsh_name = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=60)
    address = models.CharField(max_length=300)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def in_wales(self) -> bool:
        return self.region == "Wales"


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. Citizens use one-time codes; staff use a password and an
    authenticator app, and belong to one or more register offices."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    mobile_number = models.CharField(_("mobile number"), max_length=20, blank=True)
    mobile_verified_at = models.DateTimeField(null=True, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Staff sign in with password and authenticator app.")
    is_active = models.BooleanField(default=True)
    offices = models.ManyToManyField(RegisterOffice, blank=True, related_name="staff")
    date_joined = models.DateTimeField(default=timezone.now)
    # The language the person chose (the language switch, or their account page): every
    # message, PDF and letter sent to them later, by a task, is in it.
    language = models.CharField(
        _("language"), max_length=5, choices=[("en", "English"), ("cy", "Cymraeg")], default="en"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_unique_ci"),
        ]
        permissions = [
            ("work_cases", "Can work the exception queue"),
            ("view_person_data", "Can view a person's data and evidence"),
            ("conduct_ceremonies", "Can conduct ceremonies as superintendent registrar"),
            ("assist_citizens", "Can help citizens by phone in an assisted session"),
            ("supervise_support", "Can see the phone-support supervisor report"),
            ("manage_staff", "Can manage staff and offices"),
            ("view_audit_log", "Can read the audit log"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def mobile_verified(self) -> bool:
        return bool(self.mobile_number and self.mobile_verified_at)


class CodePurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("sign in")
    VERIFY_MOBILE = "verify_mobile", _("verify mobile number")
    # An informant's declaration of a registration a registrar or phone support took for them.
    DECLARATION = "declaration", _("make a declaration")


class CodeChannel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("text message")


class OneTimeCode(models.Model):
    """A 6-digit code sent to an email address or mobile number. Only a keyed hash of the
    code is stored. A code is live until it is consumed, killed or expires."""

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    channel = models.CharField(max_length=10, choices=CodeChannel.choices)
    destination = models.CharField(max_length=254, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    wrong_attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    killed_at = models.DateTimeField(null=True, blank=True)
    requested_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["destination", "purpose", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(wrong_attempts__lte=5), name="otp_wrong_attempts_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.destination} ({self.created_at:%Y-%m-%d %H:%M})"


class CodeFailure(models.Model):
    """One wrong or refused code entry. Counted per destination and per client address, across
    codes, so asking for a new code never resets the count."""

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    destination = models.CharField(max_length=254)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["destination", "purpose", "at"]),
            models.Index(fields=["client_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"Failed code for {self.destination} at {self.at:%Y-%m-%d %H:%M}"


class PasswordFailure(models.Model):
    """A failed staff password or authenticator entry, for throttling."""

    email = models.CharField(max_length=254)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["email", "at"]), models.Index(fields=["client_address", "at"])]

    def __str__(self) -> str:
        return f"Failed staff sign-in for {self.email} at {self.at:%Y-%m-%d %H:%M}"


class StaffAuthenticator(models.Model):
    """A staff member's authenticator app (TOTP). `last_used_step` stops a code being
    accepted twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="authenticator")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Authenticator app of {self.user}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token of {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"
