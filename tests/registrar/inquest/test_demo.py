"""The demo step for `make run`: a coroner for Leeds, one certificate after inquest waiting and
one interim certificate whose family was sent the link; running it again makes nothing more."""

from __future__ import annotations

import pytest

from identity.models import OutboundMessage
from registrar.inquest.demo import load_demo_inquests
from registrar.models import CoronerCertificate

pytestmark = pytest.mark.django_db


def test_the_demo_certificates_are_made_once(leeds):
    assert load_demo_inquests() == 2
    assert load_demo_inquests() == 0
    kinds = set(CoronerCertificate.objects.values_list("kind", "status"))
    assert kinds == {("after_inquest", "waiting"), ("interim_fact_of_death", "interim")}
    assert OutboundMessage.objects.filter(to="family.demo@demo.example", key__contains=":interim:").count() == 1
