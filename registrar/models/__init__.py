"""The registration domain's models, by topic: births, deaths and the central register
(`registrations`), and marriages and civil partnerships before they are registered
(`marriages`)."""

from .marriages import *  # noqa: F403
from .registrations import *  # noqa: F403
from .registrations import WriteOnceModel  # noqa: F401
from .stillbirths import *  # noqa: F403
