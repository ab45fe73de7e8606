"""The Home Office sandbox: answers at once, by rule, so that every path can be tried by hand and
in tests. A person whose surname starts with "Investigate" makes the Home Office investigate;
"Homeofficedown" makes it unreachable; anyone else is "not investigating"."""

from __future__ import annotations

import hashlib

from ...models import Proposal
from . import Answer, Referral, Suspicion

INVESTIGATE = "investigate"
UNREACHABLE = "homeofficedown"


def _reference(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:10].upper()}"


class SandboxHomeOffice:
    name = "Home Office sandbox"
    sandbox = True

    def refer(self, referral: Referral) -> Answer:
        surnames = [person.surname.lower() for person in referral.people]
        if any(surname.startswith(UNREACHABLE) for surname in surnames):
            return Answer(delivered=False, reason="provider_unreachable", sandbox=True)
        decision = (
            Proposal.HomeOffice.INVESTIGATING
            if any(surname.startswith(INVESTIGATE) for surname in surnames)
            else Proposal.HomeOffice.NOT_INVESTIGATING
        )
        return Answer(
            delivered=True, reference=_reference("HO", referral.proposal_reference), decision=decision, sandbox=True
        )

    def decision(self, *, reference: str) -> Answer:
        return Answer(delivered=True, reference=reference, sandbox=True)

    def report_suspicion(self, suspicion: Suspicion) -> Answer:
        if any(person.surname.lower().startswith(UNREACHABLE) for person in suspicion.people):
            return Answer(delivered=False, reason="provider_unreachable", sandbox=True)
        return Answer(delivered=True, reference=_reference("HOS", suspicion.report_reference), sandbox=True)
