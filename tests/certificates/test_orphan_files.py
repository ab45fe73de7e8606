"""A PDF in storage always has its certificate row: issuing that rolls back after the PDFs were
written removes them, and what a killed process leaves (a file written, its row never
committed) is removed by the orphan sweep once it is older than the grace, while every file a
row refers to stays."""

from __future__ import annotations

import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from certificates import services
from certificates.models import Certificate, CertificateOrder
from certificates.services import issuing
from core.storage import atomic_with_files, orphan_files, remove_orphan_files, save_file
from tests.factories import historic_birth, paid_certificate_order

pytestmark = pytest.mark.django_db


def _pdfs() -> set[str]:
    return {f"certificates/{p.name}" for p in (Path(settings.MEDIA_ROOT) / "certificates").glob("*")}


def _rows() -> set[str]:
    return set(Certificate.objects.exclude(pdf="").values_list("pdf", flat=True))


def test_issuing_that_rolls_back_after_writing_its_pdfs_leaves_no_file():
    order = paid_certificate_order(historic_birth(), copies=2)
    with mock.patch.object(issuing, "_send_issued_message", side_effect=RuntimeError("database went away")):
        with pytest.raises(RuntimeError):
            services.issue_order(order_id=order.pk)
    assert not Certificate.objects.filter(order=order).exists()
    assert _pdfs() == set()
    # Tried again, it issues both copies, and storage holds exactly their PDFs.
    services.issue_order(order_id=order.pk)
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUED
    assert _pdfs() == _rows() and len(_rows()) == 2


def test_a_rendering_that_rolls_back_leaves_no_file():
    order = paid_certificate_order(historic_birth())
    services.issue_order(order_id=order.pk)
    certificate = order.certificates.get()
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_sha256="")
    Path(settings.MEDIA_ROOT, certificate.pdf.name).unlink()
    with mock.patch.object(Certificate, "save", side_effect=RuntimeError("lost")):
        with pytest.raises(RuntimeError):
            services.make_certificate(certificate_id=certificate.pk)
    assert _pdfs() == set()


def _age(name: str, seconds: float) -> None:
    path = Path(settings.MEDIA_ROOT, name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_file_whose_row_never_committed_is_swept_after_the_grace_and_rows_keep_theirs():
    order = paid_certificate_order(historic_birth())
    services.issue_order(order_id=order.pk)
    kept = _rows()
    # As after a kill between writing and committing: the row rolled back, the file did not
    # (the transaction that rolled back was not the one that wrote the file).
    certificate = Certificate.objects.get(order=order)
    with pytest.raises(RuntimeError), transaction.atomic():
        with atomic_with_files():
            save_file(certificate.pdf, "K7QH-3MZP-W2XA-9RTC.pdf", ContentFile(b"%PDF-1.7 signed"))
        raise RuntimeError("the process dies")
    orphan = "certificates/K7QH-3MZP-W2XA-9RTC.pdf"
    assert _pdfs() == kept | {orphan}
    # Younger than the grace, it may belong to a transaction still working: kept.
    assert remove_orphan_files() == 0 and orphan in _pdfs()
    _age(orphan, settings.ORPHAN_FILE_GRACE_SECONDS + 60)
    for name in kept:
        _age(name, settings.ORPHAN_FILE_GRACE_SECONDS + 60)
    assert [name for _storage, name in orphan_files()] == [orphan]
    assert remove_orphan_files() == 1
    assert _pdfs() == kept == _rows()


def test_the_command_lists_and_removes_orphans(capsys):
    Path(settings.MEDIA_ROOT, "certificates").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "certificates", "LOST-0000-0000-0000.pdf").write_bytes(b"%PDF")
    call_command("remove_orphan_files", "--older-than", "0", "--dry-run")
    assert "certificates/LOST-0000-0000-0000.pdf" in capsys.readouterr().out
    call_command("remove_orphan_files", "--older-than", "0")
    assert "Removed 1 file" in capsys.readouterr().out and _pdfs() == set()
