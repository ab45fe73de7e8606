"""The registration domain's models, by topic: births, deaths and the central register
(`registrations`), marriages and civil partnerships before they are registered
(`marriages`), and medical certificates of stillbirth (`stillbirths`)."""

from .marriages import *  # noqa: F403
from .registrations import *  # noqa: F403
from .registrations import WriteOnceModel  # noqa: F401
from .stillbirths import *  # noqa: F403
