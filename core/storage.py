"""Files and transactions. A file written through the storage API is not part of the database
transaction that records it, so:

- `atomic_with_files()` is `transaction.atomic()` that also removes the files written in it with
  `save_file()` when it rolls back, so a rolled-back file never becomes visible;
- `delete_file_on_commit()` removes a replaced file only once the change is committed, so a
  rollback never leaves a row pointing at a deleted file;
- `remove_orphan_files()` (beat, and `manage.py remove_orphan_files`) removes what neither can
  catch: a file whose process was killed between writing it and committing its row. Only files
  older than ORPHAN_FILE_GRACE_SECONDS are taken, so a transaction still working keeps its files.
"""

from __future__ import annotations

import contextvars
import logging
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

logger = logging.getLogger(__name__)

_written: contextvars.ContextVar[list[tuple[Storage, str]] | None] = contextvars.ContextVar(
    "files_written_in_transaction", default=None
)


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic()`; if it rolls back, the files `save_file()` wrote inside are deleted.
    Nested in another `atomic_with_files()`, the outer one takes them over on success. Nested in a
    plain `atomic()` that later rolls back, they are left for `remove_orphan_files()`."""
    written: list[tuple[Storage, str]] = []
    token = _written.set(written)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        _delete(written)
        raise
    finally:
        _written.reset(token)
    outer = _written.get()
    if outer is not None:
        outer.extend(written)


def save_file(field_file: FieldFile, name: str, content) -> None:
    """`field_file.save(name, content, save=False)`, removed again if the enclosing
    `atomic_with_files()` rolls back."""
    field_file.save(name, content, save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def delete_file_on_commit(field_file: FieldFile) -> None:
    """Delete the stored file once the caller's transaction commits (at once outside one)."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: _delete([(storage, name)]))


def _delete(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s; the orphan sweep will", name)


# --- The sweep -------------------------------------------------------------------------------------


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def _folder(field: models.FileField) -> str:
    """The folder a field's files go to: its upload_to, or where its upload_to callable puts a file."""
    return posixpath.dirname(field.generate_filename(None, "probe"))


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _walk(storage, posixpath.join(folder, sub))


def orphan_files(*, older_than_seconds: float | None = None) -> list[tuple[Storage, str]]:
    """Files in the folders that file fields write to which no row refers to, and older than the grace."""
    grace = settings.ORPHAN_FILE_GRACE_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - timedelta(seconds=grace)
    fields = list(_file_fields())
    folders = {(id(field.storage), _folder(field)): field.storage for _model, field in fields}
    # A file older than the grace whose row was ever committed is referenced by now: the grace is
    # longer than any transaction that writes a file (CELERY_TASK_TIME_LIMIT, the web timeout).
    referenced: set[str] = set()
    for model, field in fields:
        referenced.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    orphans = []
    for (_storage_id, folder), storage in folders.items():
        for name in _walk(storage, folder):
            if name not in referenced and storage.get_modified_time(name) < cutoff:
                orphans.append((storage, name))
    return orphans


def remove_orphan_files(*, older_than_seconds: float | None = None) -> int:
    orphans = orphan_files(older_than_seconds=older_than_seconds)
    for _storage, name in orphans:
        logger.warning("Removing %s: no row refers to it", name)
    _delete(orphans)
    return len(orphans)
