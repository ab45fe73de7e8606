"""People and the platform every other app stands on, by topic: accounts (citizens and staff),
register offices, one-time codes, authenticator apps and API tokens (`accounts`); the
hash-chained audit log (`audit`); the outbound message outbox (`outbox`); the staged identity
check (`evidence`); and phone support (`assisted`).

The audit log, the outbox and register offices live here, in the lowest layer, so that
`booking` and `registrar` can both use them while dependencies keep pointing one way."""

from .accounts import *  # noqa: F403
from .assisted import *  # noqa: F403
from .audit import *  # noqa: F403
from .evidence import *  # noqa: F403
from .outbox import *  # noqa: F403
