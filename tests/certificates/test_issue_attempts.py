"""Issuing that can never succeed stops: every try is counted before its work starts (so a try
that dies counts too), the sweeper waits longer after each, and after
CERTIFICATE_ISSUE_MAX_ATTEMPTS the order (or a reissued copy) is set aside for staff, the
operators are alerted once, the person is told in words, and a registrar's retry (audited)
issues it once the fault is fixed."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from certificates import documents, services
from certificates.models import Certificate, CertificateOrder
from certificates.refusals import CertificateRefused
from certificates.signing import SigningKeyMissing
from identity import roles
from identity.models import AuditEntry
from tests.factories import historic_birth, paid_certificate_order, sign_in_staff

LIMIT = 3


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS = LIMIT


@pytest.fixture
def no_signing_key(settings, tmp_path):
    """The signing key is missing: every try at issuing raises until it is put back."""
    present = settings.CERTIFICATE_SIGNING_KEY_PATH
    settings.CERTIFICATE_SIGNING_KEY_PATH = tmp_path / "gone.pem"

    def put_back():
        settings.CERTIFICATE_SIGNING_KEY_PATH = present

    return put_back


def _alerts(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "registrar.alerts"]


def _fail_until_set_aside(order: CertificateOrder) -> CertificateOrder:
    for _ in range(LIMIT - 1):
        with pytest.raises(SigningKeyMissing):
            services.issue_order(order_id=order.pk)
    return services.issue_order(order_id=order.pk)


def _age(model, pk, **fields):
    """Move a row's times back, as if that long had passed."""
    past = timezone.now() - timezone.timedelta(hours=1)
    model.objects.filter(pk=pk).update(**{field: past for field in fields})


@pytest.mark.django_db
def test_an_order_that_always_fails_stops_after_the_limit_is_alerted_once_and_is_not_swept_again(
    leeds, no_signing_key, caplog
):
    order = paid_certificate_order(historic_birth(leeds), copies=2)
    caplog.set_level(logging.ERROR, logger="registrar.alerts")
    order = _fail_until_set_aside(order)
    assert order.status == CertificateOrder.Status.ISSUE_FAILED and order.issue_attempts == LIMIT
    assert not order.certificates.exists()  # each failed try rolled back its serials
    [alert] = _alerts(caplog)
    text = alert.getMessage()
    assert f"order {order.pk} " in text and "SigningKeyMissing" in text
    assert "robin" not in text.lower() and order.entry.surname.lower() not in text.lower()
    _age(CertificateOrder, order.pk, paid_at=True, last_issue_attempt_at=True)
    assert order.pk not in services.paid_orders_waiting(older_than_seconds=20)
    services.issue_order(order_id=order.pk)  # a stray message changes nothing
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUE_FAILED and order.issue_attempts == LIMIT
    assert len(_alerts(caplog)) == 1


@pytest.mark.django_db
def test_the_sweeper_waits_longer_after_each_failed_try(leeds):
    order = paid_certificate_order(historic_birth(leeds))
    now = timezone.now()
    CertificateOrder.objects.filter(pk=order.pk).update(paid_at=now - timezone.timedelta(seconds=21))
    assert services.paid_orders_waiting(older_than_seconds=20) == [order.pk]  # never tried: 20 s
    for attempts, wait in ((1, 35), (2, 50), (3, 80)):  # 20 s + 15 s, 30 s, 60 s
        for seconds, due in ((wait - 2, False), (wait + 2, True)):
            CertificateOrder.objects.filter(pk=order.pk).update(
                issue_attempts=attempts, last_issue_attempt_at=now - timezone.timedelta(seconds=seconds)
            )
            assert (order.pk in services.paid_orders_waiting(older_than_seconds=20)) is due, (attempts, seconds)
    assert services.issue_retry_seconds(20) == 240  # capped at the countdown cap


@pytest.mark.django_db
def test_the_person_is_told_in_words_that_staff_are_looking_at_it(client, person, leeds, no_signing_key):
    order = _fail_until_set_aside(paid_certificate_order(historic_birth(leeds), person=person))
    response = client.get(reverse("certificates:order", args=[order.reference]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem making your certificate" in html and "Our staff have been told" in html
    assert "issue_failed" not in html and 'http-equiv="refresh"' not in html


@pytest.mark.django_db
def test_staff_see_the_order_and_a_registrars_audited_retry_issues_it_once_the_fault_is_fixed(
    client, leeds, leeds_registrar, no_signing_key, django_capture_on_commit_callbacks
):
    order = _fail_until_set_aside(paid_certificate_order(historic_birth(leeds)))
    sign_in_staff(client, leeds_registrar)
    listing = client.get(reverse("certificates-staff:orders")).content.decode()
    assert "Orders that need attention" in listing and order.reference in listing
    page = client.get(reverse("certificates-staff:order", args=[order.reference])).content.decode()
    assert "failed too many times" in page and reverse("certificates-staff:retry", args=[order.reference]) in page
    no_signing_key()  # the operators put the key back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates-staff:retry", args=[order.reference]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED and order.issue_attempts == 1
    assert order.certificates.get().is_ready
    audit = AuditEntry.objects.get(action="certificates.issue_retried")
    assert audit.object_id == order.reference and audit.actor == leeds_registrar
    listing = client.get(reverse("certificates-staff:orders")).content.decode()
    assert "Orders that need attention" not in listing


@pytest.mark.django_db
def test_only_a_registrar_of_the_office_may_retry_and_only_an_order_that_needs_it(
    client, leeds, york, staff_member, leeds_registrar, no_signing_key
):
    order = _fail_until_set_aside(paid_certificate_order(historic_birth(leeds)))
    url = reverse("certificates-staff:retry", args=[order.reference])
    sign_in_staff(client, staff_member(roles.PHONE_SUPPORT, york))
    assert client.post(url).status_code == 403
    with pytest.raises(CertificateRefused) as refused:
        services.retry_issuing(order=order, actor=staff_member(roles.REGISTRAR, york))
    assert refused.value.code == "other_office"
    services.retry_issuing(order=order, actor=leeds_registrar)
    with pytest.raises(CertificateRefused) as refused:
        services.retry_issuing(order=order, actor=leeds_registrar)
    assert refused.value.code == "nothing_to_retry"
    assert AuditEntry.objects.filter(action="certificates.issue_retried").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_try_that_dies_mid_way_is_counted_and_the_tries_still_run_out(leeds, monkeypatch, caplog):
    order = paid_certificate_order(historic_birth(leeds))
    caplog.set_level(logging.ERROR, logger="registrar.alerts")

    def dies(content):
        raise SystemExit("killed")  # not an Exception: nothing in the service catches it

    monkeypatch.setattr(documents, "render_certificate", dies)
    for attempt in range(1, LIMIT + 1):
        with pytest.raises(SystemExit):
            services.issue_order(order_id=order.pk)
        order.refresh_from_db()
        # The count was committed before the work; the work rolled back with the "kill".
        assert order.issue_attempts == attempt and order.status == CertificateOrder.Status.PAID
        assert not Certificate.objects.filter(order=order).exists()
    # The broker hands the message back once more: the tries have run out.
    services.issue_order(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUE_FAILED
    [alert] = _alerts(caplog)
    assert "did not finish" in alert.getMessage()


@pytest.mark.django_db
def test_a_reissued_copy_that_always_fails_is_set_aside_shown_and_retried(
    client, person, leeds, leeds_registrar, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    order = paid_certificate_order(historic_birth(leeds), person=person)
    services.issue_order(order_id=order.pk)
    caplog.set_level(logging.ERROR, logger="registrar.alerts")

    def broken(content):
        raise ValueError("cannot render this record")

    monkeypatch.setattr(documents, "render_certificate", broken)
    replacement = services.reissue_certificate(certificate=order.certificates.get(), actor=leeds_registrar, reason="r")
    for _ in range(LIMIT - 1):
        with pytest.raises(ValueError):
            services.make_certificate(certificate_id=replacement.pk)
    replacement = services.make_certificate(certificate_id=replacement.pk)
    assert replacement.render_failed_at is not None and replacement.render_attempts == LIMIT
    assert len(_alerts(caplog)) == 1 and f"copy {replacement.pk} " in _alerts(caplog)[0].getMessage()
    _age(Certificate, replacement.pk, issued_at=True, last_render_attempt_at=True)
    assert replacement.pk not in services.certificates_waiting(older_than_seconds=20)
    html = client.get(reverse("certificates:order", args=[order.reference])).content.decode()
    assert "There is a problem making your certificate" in html and "Delayed: staff are looking at it" in html
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_issuing(order=order, actor=leeds_registrar)
    replacement.refresh_from_db()
    assert replacement.is_ready and replacement.render_failed_at is None and replacement.render_attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_the_counts_and_back():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("certificates", "0002_order_locked_status")])
        executor.loader.build_graph()
        executor.migrate([("certificates", "0003_issue_attempts")])
        with connection.cursor() as cursor:
            orders = connection.introspection.get_table_description(cursor, "certificates_certificateorder")
            copies = connection.introspection.get_table_description(cursor, "certificates_certificate")
    finally:
        # Every app's latest migration again, so later tests in this worker find every table.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert {"issue_attempts", "last_issue_attempt_at"} <= {column.name for column in orders}
    assert {"render_attempts", "last_render_attempt_at", "render_failed_at"} <= {column.name for column in copies}
