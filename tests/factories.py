"""factory_boy factories for accounts and offices."""

from __future__ import annotations

import datetime

import factory
import pyotp
from django.utils import timezone

from identity.models import RegisterOffice, StaffAuthenticator, User

STAFF_PASSWORD = "correct-horse-battery-staple-42"


class RegisterOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisterOffice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E-TEST{n}")
    name = factory.Sequence(lambda n: f"Test Register Office {n}")
    region = "Yorkshire and the Humber"
    address = "Town Hall, The Headrow"
    town = "Leeds"
    postcode = "LS1 3AD"
    latitude = "53.7997"
    longitude = "-1.5492"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_GB")
    email_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@registrar.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", STAFF_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        self.save()

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if extracted is False:
            return
        StaffAuthenticator.objects.create(user=self, secret=pyotp.random_base32(32), confirmed_at=timezone.now())


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Venue"

    code = factory.Sequence(lambda n: f"VENUE-{n}")
    name = factory.Sequence(lambda n: f"Test Venue {n}")
    kind = "register_office"
    office = factory.SubFactory(RegisterOfficeFactory)
    address = "Town Hall, The Headrow"
    postcode = "LS1 3AD"
    latitude = "53.7997"
    longitude = "-1.5492"
    capacity = 60


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Room"

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 40


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Party"

    position = 1
    full_name = factory.Sequence(lambda n: f"Party Person {n}")
    date_of_birth = datetime.date(1990, 5, 17)
    email = factory.Sequence(lambda n: f"party{n}@example.com")
    postcode = "LS1 3AD"
    lived_there_since = datetime.date(2020, 1, 1)


def add_parties(booking, **extra):
    """Both parties of a ceremony, as check-your-answers needs them."""
    return [PartyFactory(booking=booking, position=position, **extra) for position in (1, 2)]
