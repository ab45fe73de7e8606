"""Tasks and sweepers: a retried issuing task changes nothing, a paid order whose task was lost
(broker outage) is issued by the beat sweeper, a reissued copy whose task was lost is made; the
search page's queries do not grow with its results; odd serials are a plain 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import Certificate, CertificateOrder
from tests.factories import RegisterOfficeFactory, historic_birth, paid_certificate_order

pytestmark = pytest.mark.django_db


def test_a_retried_issue_task_makes_no_second_serial():
    order = paid_certificate_order(historic_birth(), copies=2)
    assert tasks.issue_order_task.apply(args=[order.pk]).get() is True
    serials = set(Certificate.objects.values_list("serial", flat=True))
    assert tasks.issue_order_task.apply(args=[order.pk]).get() is True
    assert set(Certificate.objects.values_list("serial", flat=True)) == serials and len(serials) == 2


def test_a_paid_order_whose_task_was_lost_is_issued_by_the_sweeper():
    order = paid_certificate_order(historic_birth())
    CertificateOrder.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timezone.timedelta(minutes=10))
    assert tasks.issue_waiting_certificates.apply().get() == 1
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED and order.certificates.get().is_ready


def test_a_reissue_whose_task_was_lost_is_made_by_the_sweeper(
    monkeypatch, issued, leeds_registrar, django_capture_on_commit_callbacks
):
    def broker_down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.render_certificate_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        replacement = services.reissue_certificate(certificate=issued, actor=leeds_registrar, reason="r")
    assert callbacks  # the enqueue ran, and found the broker down
    assert not Certificate.objects.get(pk=replacement.pk).is_ready
    monkeypatch.undo()  # the broker is back
    Certificate.objects.filter(pk=replacement.pk).update(issued_at=timezone.now() - timezone.timedelta(minutes=10))
    tasks.issue_waiting_certificates.apply().get()
    assert Certificate.objects.get(pk=replacement.pk).is_ready


def test_the_search_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    district = RegisterOfficeFactory()
    for number in range(25):
        historic_birth(district, surname="Smith", forenames=f"Child {number}")
    results_url = client.post(
        reverse("certificates:search"), {"event": "birth", "surname": "Smith", "sounds_like": "on"}
    )["Location"]
    with django_assert_max_num_queries(8):
        response = client.get(results_url)
    assert len(response.context["results"].lines) == 20


@pytest.mark.parametrize("serial", ["<script>", "A" * 300, "AAAA-BBBB-CCCC-DDD%25", "' OR 1=1 --"])
def test_odd_serials_are_a_plain_404(client, serial):
    response = client.get(reverse("certificates:verify-serial", args=[serial]))
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()
    assert client.get(f"/api/v1/certificates/verify/{serial}").status_code == 404
