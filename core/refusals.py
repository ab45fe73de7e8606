"""The refusal vocabulary. A service refuses by raising a `Refusal` with a stable code; each app's
`refusals.py` declares its codes once, each with an HTTP status and a translatable message whose
legal numbers are read from settings when the message is shown. The API renders a refusal through
`core.api_errors.exception_handler`, pages through `core.pages`, so the same refusal reads the same
everywhere, in English and in Welsh."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.utils.functional import Promise


@dataclass(frozen=True)
class Reason:
    """One refusal code: its HTTP status and its message for people.

    `message` is a `gettext_lazy` (or `ngettext_lazy`) string that may hold `%(name)s` placeholders. Each placeholder is
    filled from a setting named in `from_settings` (placeholder -> setting name), so that a legal
    number lives in settings only, or from a value the service passes when it refuses.

    `retry_after` (seconds) is sent as the `Retry-After` header of a refusal that asks the person
    or client to wait and try again, so that clients back off for as long as the message says."""

    status: int
    message: Promise | str
    from_settings: Mapping[str, str] = field(default_factory=dict)
    retry_after: int | None = None

    def render(self, params: Mapping[str, Any] | None = None) -> str:
        values = {name: getattr(settings, setting) for name, setting in self.from_settings.items()}
        values.update(params or {})
        # `%` on the lazy message itself, so that an `ngettext_lazy` message keyed by one of the
        # values ("1 minute", "2 minutes") picks its plural form.
        return str(self.message % values) if values else str(self.message)


class Refusal(Exception):
    """Raised by a service that will not do what was asked. Subclasses (one per app, in the app's
    `refusals.py`) set `reasons`; raising an unknown code is a programming error."""

    reasons: ClassVar[Mapping[str, Reason]] = {}
    # Seconds to wait before trying again: the code's own figure, unless the refusal knows better
    # (a throttle that knows when its window ends sets it before this runs).
    retry_after: int | None = None

    def __init__(self, code: str, **params: Any) -> None:
        if code not in self.reasons:
            raise LookupError(f"{type(self).__name__} has no refusal code {code!r}")
        self.code = code
        self.params = params
        if self.retry_after is None:
            self.retry_after = self.reasons[code].retry_after
        super().__init__(code)

    @property
    def reason(self) -> str:
        """The code, under the name the services' callers have always read."""
        return self.code

    @property
    def status(self) -> int:
        return self.reasons[self.code].status

    @property
    def message(self) -> str:
        """The message in the active language, with its numbers filled in."""
        return self.reasons[self.code].render(self.params)

    def __str__(self) -> str:
        return self.message


def message_for(refusal_class: type[Refusal], code: str, **params: Any) -> str:
    """The message of a code without raising it (for a page that explains a state)."""
    return refusal_class.reasons[code].render(params)
