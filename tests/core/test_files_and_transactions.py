"""Files written in a transaction that rolls back are removed; a file replaced in a transaction
is deleted only once it commits, so a rollback keeps the row and its file together. Shown with
evidence photos, the other file field."""

from __future__ import annotations

import io
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings

from identity import cases, verification
from identity.models import EvidenceImage
from tests.factories import UserFactory, document_photo

pytestmark = pytest.mark.django_db


def _files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "evidence"
    return {f"evidence/{p.name}" for p in folder.glob("*")} if folder.exists() else set()


def _photo(case):
    return cases.attach_image(case=case, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT, upload=io.BytesIO(document_photo()))


def test_a_photo_whose_transaction_rolls_back_leaves_no_file_and_the_old_photo_stays(
    django_capture_on_commit_callbacks,
):
    case = cases.open_case(person=UserFactory())
    first = _photo(case)
    assert _files() == {first.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        with mock.patch.object(verification, "evidence_changed", side_effect=RuntimeError("lost")):
            with pytest.raises(RuntimeError):
                _photo(case)
    first.refresh_from_db()
    assert first.deleted_at is None and first.file
    assert _files() == {first.file.name}
    assert set(EvidenceImage.objects.exclude(file="").values_list("file", flat=True)) == _files()
