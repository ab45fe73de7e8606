"""The certificate emails are written in the applicant's stored language, whatever language the
worker issuing the order or the registrar reissuing a certificate is using."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from certificates import services
from identity.models import OutboundMessage
from tests.factories import UserFactory, historic_birth, paid_certificate_order, sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("cy", "Mae eich tystysgrif yn barod: archeb", "Tystysgrif geni lawn"),
        ("en", "Your certificate is ready: order", "Full birth certificate"),
    ],
)
def test_the_certificate_ready_email_is_in_the_applicants_language(leeds, language, subject, body):
    person = UserFactory(language=language)
    order = paid_certificate_order(historic_birth(leeds, surname="Lovelace", forenames="Ada"), person=person)
    translation.activate("en")  # the worker's language is not the applicant's
    services.issue_order(order_id=order.pk)
    message = OutboundMessage.objects.get(key=f"certificates:{order.reference}:issued")
    assert message.subject.startswith(subject) and order.reference in message.subject
    assert body in message.body and order.reference in message.body
    assert ("Lawrlwythwch" in message.body) is (language == "cy")
    assert ("Download it" in message.body) is (language == "en")


def test_a_reissue_made_on_an_english_page_reaches_a_welsh_applicant_in_welsh(
    client, issued, leeds_registrar, django_capture_on_commit_callbacks
):
    issued.order.person.language = "cy"
    issued.order.person.save(update_fields=["language"])
    sign_in_staff(client, leeds_registrar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates-staff:reissue", args=[issued.serial]), {"reason": "Entry corrected"})
    message = OutboundMessage.objects.get(key__endswith=":reissued")
    assert message.subject.startswith("Mae eich tystysgrif wedi’i hailgyhoeddi")
    assert "Mae cofrestrydd wedi ailgyhoeddi tystysgrif" in message.body and issued.serial in message.body
    assert "registrar" not in message.body


def test_a_reissue_reaches_an_english_applicant_in_english(
    client, issued, leeds_registrar, django_capture_on_commit_callbacks
):
    sign_in_staff(client, leeds_registrar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates-staff:reissue", args=[issued.serial]), {"reason": "Entry corrected"})
    message = OutboundMessage.objects.get(key__endswith=":reissued")
    assert message.subject.startswith("Your certificate has been reissued")
    assert "The old one is no longer valid" in message.body
