"""The couple's page says what is true at each end: a barred proposal makes no schedule, and a
registered one offers one way to order the certificate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registrar.models import Proposal
from tests.factories.marriage import make_objection, make_proposal

pytestmark = pytest.mark.django_db


def test_a_barred_proposal_says_no_schedule_will_be_made(client):
    proposal = make_proposal(notices="given")
    make_objection(proposal.notices.first(), status="upheld")
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.BARRED)
    client.force_login(proposal.created_by)
    page = client.get(reverse("marriage:proposal", args=[proposal.reference])).content.decode()
    assert "No schedule will be made (Objection upheld)." in page
    assert "When the waiting period is over" not in page
