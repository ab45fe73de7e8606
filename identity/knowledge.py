"""Knowledge-based verification: questions about the person's history, set and marked by the
provider IDENTITY_VERIFIERS["knowledge"] names, for someone without a camera or whose face did not
match. The answers are recorded as a KNOWLEDGE check, which the scoring table reads (GPG 45
'Check the claimed identity belongs to the person', by knowledge-based verification).

The provider's session id never leaves the server: a `KnowledgeAttempt` holds it, found through
the person's own case. An attempt is answered at most once, within IDENTITY_KNOWLEDGE_MINUTES, and
only for the details it asked about; a case gets IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY sets of
questions in any 24 hours. Nothing here tells the person which answers were right."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import cases, verification, verifiers
from .models import EvidenceCheck, IdentityCase, KnowledgeAttempt
from .refusals import KnowledgeRefused
from .verifiers import CheckResult, KnowledgeProvider, KnowledgeSession
from .verifiers import reasons as codes
from .verifiers.payloads import UNAVAILABLE_SESSION, person_body

logger = logging.getLogger(__name__)

Kind = EvidenceCheck.Kind
Outcome = EvidenceCheck.Outcome
ROLE = "knowledge"
WINDOW = timedelta(hours=24)
# What the person is told once they have answered, whatever the provider made of the answers: a
# message that differed would tell someone guessing at another's identity how they did.
ANSWERED = _(
    "You have answered the security questions. Your answers count towards your identity check when you submit it."
)


def offered() -> bool:
    """Whether this service asks knowledge questions at all (a provider is configured)."""
    return bool(settings.IDENTITY_VERIFIERS.get(ROLE))


def offered_for(case: IdentityCase | None) -> bool:
    """Whether the person's check page should offer the questions: a provider is configured and
    the person can still change their case."""
    return offered() and cases.can_change(case)


def _provider() -> KnowledgeProvider:
    provider = verifiers.configured(ROLE)
    if provider is None:
        raise KnowledgeRefused("not_offered")
    return provider


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _person_body(case: IdentityCase | None) -> dict:
    """The details the provider is asked about; refuses a case that cannot change or lacks them."""
    if case is None:
        raise KnowledgeRefused("details_missing")
    if not cases.can_change(case):
        raise KnowledgeRefused("case_closed")
    body = person_body(person=verification.person_facts(case))
    if body is None:
        raise KnowledgeRefused("details_missing")
    return body


def check_can_ask(*, case: IdentityCase | None) -> None:
    """Raises KnowledgeRefused when no questions can be asked for `case` now: no provider is
    configured, the case cannot change, or it lacks the person's details."""
    _provider()
    _person_body(case)


def attempts_used(*, case: IdentityCase, now=None) -> int:
    now = now or timezone.now()
    return case.knowledge_attempts.filter(started_at__gt=now - WINDOW).count()


def attempts_left(*, case: IdentityCase | None, now=None) -> int:
    if case is None:
        return settings.IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY
    return max(0, settings.IDENTITY_KNOWLEDGE_ATTEMPTS_PER_DAY - attempts_used(case=case, now=now))


def open_attempt(*, case: IdentityCase | None, now=None) -> KnowledgeAttempt | None:
    """The questions waiting for the person's answers: the case's latest set, from the provider
    configured now, not answered and not expired."""
    if case is None or not offered():
        return None
    now = now or timezone.now()
    latest = case.knowledge_attempts.first()
    if latest is None or latest.answered_at is not None or latest.expires_at <= now:
        return None
    provider = verifiers.configured(ROLE)
    return latest if latest.provider == str(provider.name)[:100] else None


def latest_answered(*, case: IdentityCase | None) -> KnowledgeAttempt | None:
    """The last set of questions the person answered on this case, if any."""
    if case is None:
        return None
    return case.knowledge_attempts.filter(answered_at__isnull=False).first()


def _well_formed(session: KnowledgeSession) -> bool:
    ids = [question.id for question in session.questions]
    return bool(ids) and len(set(ids)) == len(ids) and all(question.choices for question in session.questions)


def _unavailable(provider: KnowledgeProvider, reason: str) -> CheckResult:
    return CheckResult(
        kind=Kind.KNOWLEDGE,
        outcome=Outcome.UNAVAILABLE,
        provider=str(provider.name),
        sandbox=bool(provider.sandbox),
        reasons=(reason,),
    )


def _ask(provider: KnowledgeProvider, call, fallback: str):
    """Call the provider; a fault inside its adapter is logged by type only (the message may hold
    personal data) and answered as `fallback`."""
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - an adapter's fault must not lose the person's case
        logger.warning("Knowledge provider %s failed: %s", type(provider).__name__, type(error).__name__)
        return fallback


def _record(case: IdentityCase, result: CheckResult) -> EvidenceCheck | None:
    """Record the provider's answer. An answer that could not be had never replaces real answers
    given earlier: a provider's outage must not cost the person what they already earned."""
    if result.outcome == Outcome.UNAVAILABLE:
        earlier = case.checks.filter(kind=Kind.KNOWLEDGE, provider=result.provider[:100], superseded_at__isnull=True)
        if earlier.exclude(outcome=Outcome.UNAVAILABLE).exists():
            return None
    return verification.record(case, [result])[0]


def _refuse_unavailable(reasons: tuple[str, ...]) -> None:
    if codes.KNOWLEDGE_NO_QUESTIONS in reasons:
        raise KnowledgeRefused("no_questions")
    if codes.KNOWLEDGE_SESSION_EXPIRED in reasons:
        raise KnowledgeRefused("expired")
    raise KnowledgeRefused("provider_unavailable")


def start_questions(*, case: IdentityCase | None) -> KnowledgeAttempt:
    """Ask the provider for questions about the person the case describes. Questions already
    waiting are returned as they are, so reloading a page never uses up an attempt. Raises
    KnowledgeRefused when no provider is configured, the case cannot change or lacks the
    person's details, the attempts are used up, or the provider has no questions to ask."""
    provider = _provider()
    body = _person_body(case)
    now = timezone.now()
    waiting = open_attempt(case=case, now=now)
    if waiting is not None:
        return waiting
    if attempts_left(case=case, now=now) <= 0:
        raise KnowledgeRefused("attempts_used")
    # The provider may take seconds to answer: it is asked outside the case's row lock, and the
    # limit is checked again under the lock before the attempt is saved.
    session = _ask(provider, lambda: provider.start(person=verification.person_facts(case)), None)
    if not isinstance(session, KnowledgeSession) or not session.questions or not _well_formed(session):
        if isinstance(session, KnowledgeSession) and session.session_id.startswith(UNAVAILABLE_SESSION):
            # The adapter says why in the id; answering such a session gives its "unavailable"
            # result without asking the provider.
            result = _ask(
                provider,
                lambda: provider.answer(session_id=session.session_id, answers={}),
                _unavailable(provider, codes.PROVIDER_BAD_RESPONSE),
            )
        else:
            result = _unavailable(provider, codes.PROVIDER_BAD_RESPONSE)
        _record(case, result)
        _refuse_unavailable(tuple(result.reasons))
    with transaction.atomic():
        locked = IdentityCase.objects.select_for_update().get(pk=case.pk)
        if not cases.can_change(locked):
            raise KnowledgeRefused("case_closed")
        waiting = open_attempt(case=locked, now=now)
        if waiting is not None:  # a parallel request asked first; its questions stand
            return waiting
        if attempts_left(case=locked, now=now) <= 0:
            raise KnowledgeRefused("attempts_used")
        return KnowledgeAttempt.objects.create(
            case=locked,
            provider=str(provider.name)[:100],
            sandbox=bool(provider.sandbox),
            session_id=session.session_id,
            details_digest=_digest(body),
            questions=[
                {"id": question.id, "text": question.text, "choices": list(question.choices)}
                for question in session.questions
            ],
            started_at=now,
            expires_at=now + timedelta(minutes=settings.IDENTITY_KNOWLEDGE_MINUTES),
        )


def answer_questions(*, case: IdentityCase | None, answers: Mapping[str, str]) -> EvidenceCheck:
    """Send the person's answers to the questions waiting on their case and record the provider's
    marking as a KNOWLEDGE check. Each set is answered once: the attempt is claimed by a
    compare-and-swap before the provider is asked, so a second or parallel answer is refused and
    the provider's session is never answered twice. Every question needs one of its own choices."""
    provider = _provider()
    body = _person_body(case)
    now = timezone.now()
    attempt = case.knowledge_attempts.first()
    if attempt is None or attempt.provider != str(provider.name)[:100]:
        raise KnowledgeRefused("not_started")
    if attempt.answered_at is not None:
        raise KnowledgeRefused("already_answered")
    if attempt.expires_at <= now:
        KnowledgeAttempt.objects.filter(pk=attempt.pk).update(questions=[])
        raise KnowledgeRefused("expired")
    if attempt.details_digest != _digest(body):
        KnowledgeAttempt.objects.filter(pk=attempt.pk).update(questions=[], expires_at=now)
        raise KnowledgeRefused("details_changed")
    chosen = {}
    for question in attempt.questions:
        choice = answers.get(question["id"])
        if not isinstance(choice, str) or choice not in question["choices"]:
            raise KnowledgeRefused("answer_every_question")
        chosen[question["id"]] = choice
    claimed = KnowledgeAttempt.objects.filter(pk=attempt.pk, answered_at__isnull=True, expires_at__gt=now).update(
        answered_at=now, questions=[]
    )
    if not claimed:
        raise KnowledgeRefused("already_answered")
    result = _ask(
        provider,
        lambda: provider.answer(session_id=attempt.session_id, answers=chosen),
        _unavailable(provider, "checker_failed"),
    )
    if not isinstance(result, CheckResult) or result.kind != Kind.KNOWLEDGE:
        result = _unavailable(provider, codes.PROVIDER_BAD_RESPONSE)
    with transaction.atomic():
        # Under the case's lock, so that details changed while the provider marked the answers
        # (which sets every check aside) are not then credited with them.
        locked = IdentityCase.objects.select_for_update().get(pk=case.pk)
        current = person_body(person=verification.person_facts(locked))
        if current is None or _digest(current) != attempt.details_digest:
            raise KnowledgeRefused("details_changed")
        check = _record(locked, result)
        if check is not None:
            KnowledgeAttempt.objects.filter(pk=attempt.pk).update(result=check)
    if result.outcome == Outcome.UNAVAILABLE:
        _refuse_unavailable(tuple(result.reasons))
    return check


def forget_expired_questions(*, now=None) -> int:
    """The questions of sets nobody answered in time are facts about a person: forget them.
    Returns how many sets were cleared."""
    now = now or timezone.now()
    return (
        KnowledgeAttempt.objects.filter(answered_at__isnull=True, expires_at__lte=now)
        .exclude(questions=[])
        .update(questions=[])
    )
