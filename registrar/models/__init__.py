"""The registration domain's models, by topic: births, deaths and the central register
(`registrations`), marriages and civil partnerships before they are registered (`marriages`),
citizenship ceremonies (`citizenship`), coroners' certificates after inquest (`inquests`),
re-registrations of births (`reregistrations`), and medical certificates of stillbirth
(`stillbirths`)."""

from .citizenship import *  # noqa: F403
from .inquests import *  # noqa: F403
from .marriages import *  # noqa: F403
from .registrations import *  # noqa: F403
from .registrations import WriteOnceModel  # noqa: F401
from .reregistrations import *  # noqa: F403
from .stillbirths import *  # noqa: F403
