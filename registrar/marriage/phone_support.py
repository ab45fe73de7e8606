"""For phone support (settings.ASSISTED_REFERENCE_FINDERS): whose marriage or civil partnership
a notice ("NT"), proposal ("MP") or schedule ("SC") reference is, and where it has got to, in
words. A notice is its own person's; a proposal and its schedule are the person who began it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from identity.models import User

from ..models import Notice, Proposal, Schedule


def _what(proposal: Proposal) -> str:
    return _("Marriage") if proposal.kind == Proposal.Kind.MARRIAGE else _("Civil partnership")


def _notice(reference: str) -> tuple[User, str] | None:
    notice = Notice.objects.select_related("person", "proposal").filter(reference__iexact=reference).first()
    if notice is None or notice.person is None:
        return None
    stage = _("%(what)s, notice: %(notice)s (the couple's stage: %(proposal)s)") % {
        "what": _what(notice.proposal),
        "notice": notice.get_status_display(),
        "proposal": notice.proposal.get_status_display(),
    }
    return notice.person, stage


def _proposal(reference: str) -> tuple[User, str] | None:
    proposal = Proposal.objects.select_related("created_by").filter(reference__iexact=reference).first()
    if proposal is None:
        return None
    return proposal.created_by, f"{_what(proposal)}: {proposal.get_status_display()}"


def _schedule(reference: str) -> tuple[User, str] | None:
    schedule = Schedule.objects.select_related("proposal__created_by").filter(reference__iexact=reference).first()
    if schedule is None:
        return None
    stage = _("%(what)s schedule: %(schedule)s") % {
        "what": _what(schedule.proposal),
        "schedule": schedule.get_status_display(),
    }
    return schedule.proposal.created_by, stage


FINDERS = {"NT": _notice, "MP": _proposal, "SC": _schedule}


def person_for_reference(reference: str) -> tuple[User, str] | None:
    finder = FINDERS.get((reference or "").strip()[:2].upper())
    return finder(reference.strip()) if finder else None
