"""Medical certificates of stillbirth and the answers of a parent's stillbirth registration."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone


class StillbirthCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registrar.StillbirthCertificate"

    reference = factory.Sequence(lambda n: f"MCS-{n:06d}")
    mother_given_names = "Emma Louise"
    mother_surname = "Hartley"
    mother_date_of_birth = datetime.date(1992, 4, 18)
    delivered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    delivered_at = datetime.time(4, 35)
    place_of_delivery = "Leeds General Infirmary"
    sex = "female"
    weeks_of_pregnancy = 31
    weight_grams = 1420
    cause = "Placental abruption"
    certifier = "midwife"
    certifier_name = "Grace Okafor"
    certifier_registration_number = "12A3456E"


def stillbirth_answers(certificate, /, **sections):
    """Complete answers of a stillbirth registered by a married mother, matching `certificate`."""
    answers = {
        "informant": {"qualification": "mother", "parents_unable": False},
        "certificate": {"reference": certificate.reference},
        "baby": {
            "sex": certificate.sex,
            "date_of_delivery": certificate.delivered_on.isoformat(),
            "time_of_delivery": "04:35",
        },
        "name": {"give_name": True, "forenames": "Grace", "surname": "Hartley"},
        "place": {
            "place_type": "hospital",
            "place_name": "Leeds General Infirmary",
            "address": "Great George Street, Leeds",
            "postcode": "LS1 3EX",
        },
        "mother": {
            "forenames": certificate.mother_given_names,
            "surname": certificate.mother_surname,
            "maiden_surname": "Clarke",
            "date_of_birth": "1992-04-18",
            "place_of_birth": "York",
            "occupation": "Teacher",
            "address": "12 Park Lane, Leeds",
            "postcode": "LS6 2AB",
        },
        "relationship": {"parents_married": True, "register_jointly": None},
        "father": {
            "forenames": "Daniel",
            "surname": "Hartley",
            "date_of_birth": "1990-11-02",
            "place_of_birth": "Cardiff",
            "occupation": "Electrician",
        },
        "declaration": {"confirmed": True, "at": timezone.now().isoformat()},
    }
    for name, value in sections.items():
        if value is None:
            answers.pop(name, None)
        else:
            answers[name] = {**answers.get(name, {}), **value}
    return answers
