"""Explicit status machines: a model's `TRANSITIONS` table and the one compare-and-swap `move()`
that applies it, so that of two racing changes to one row exactly one wins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils import timezone


class StatusMachine:
    """Mixed into a model with a `status` field. `TRANSITIONS` maps each transition's name to the
    statuses it starts from and the status it ends in; `status` changes only through `move()`.

    `MOVED_AT` names a field stamped with the time of every move, and `DECIDED_AT` one stamped when
    the move ends in one of the `DECIDED` statuses; a value the caller passes wins over the stamp."""

    TRANSITIONS: ClassVar[Mapping[str, tuple[frozenset[str], str]]] = {}
    DECIDED: ClassVar[frozenset[str]] = frozenset()
    MOVED_AT: ClassVar[str | None] = None
    DECIDED_AT: ClassVar[str | None] = None

    def allows(self, transition: str) -> bool:
        """Whether `transition` starts from the status this row is in now."""
        return self.status in self.TRANSITIONS[transition][0]

    def move(self, transition: str, **fields: Any) -> bool:
        """Apply `transition` as one conditional UPDATE ... WHERE status IN (the statuses it starts
        from), writing `fields` in the same statement. False, and nothing written, when the row is
        in no status the transition starts from: the move is not allowed, or another change won
        the race since this copy was read. The caller turns False into its own refusal, which
        says what the person was trying to do."""
        sources, target = self.TRANSITIONS[transition]
        stamps = {}
        if self.MOVED_AT or (self.DECIDED_AT and target in self.DECIDED):
            now = timezone.now()
            if self.MOVED_AT:
                stamps[self.MOVED_AT] = now
            if self.DECIDED_AT and target in self.DECIDED:
                stamps[self.DECIDED_AT] = now
        fields = {**stamps, **fields}
        changed = type(self)._default_manager.filter(pk=self.pk, status__in=sources).update(status=target, **fields)
        if changed:
            self.status = target
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(changed)
