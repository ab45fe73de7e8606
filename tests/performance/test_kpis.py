"""The four KPIs, each on journeys built for the purpose: started and abandoned, finished
online, with phone support and by a registrar; a survey; a cost worked out by hand; and the
number of queries they take, which does not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.references import new_reference
from identity.models import AssistedSession, CaseDecision, ConsentCode, IdentityCase, OutboundMessage
from performance.models import FeedbackResponse
from performance.selectors import performance_figures, period_starts
from registrar.models import RegisterEntry, Registration
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, UserFactory, make_entry
from tests.factories.certificates import paid_certificate_order
from tests.factories.marriage import make_proposal

pytestmark = pytest.mark.django_db


def _birth(district, *, status="registered", automatic=True, **extra) -> Registration:
    registration = RegistrationFactory(district=district, status=status, **extra)
    if status == "registered":
        RegisterEntry.objects.create(
            district=district,
            event="birth",
            year=2026,
            number=RegisterEntry.objects.filter(district=district).count() + 1,
            event_date=datetime.date(2026, 11, 1),
            surname="Test",
            forenames="Baby",
            registration=registration,
            registered_automatically=automatic,
        )
    return registration


def _phone_session(person, *, staff=None) -> AssistedSession:
    now = timezone.now()
    consent = ConsentCode.objects.create(person=person, code_hash="x" * 64, expires_at=now, used_at=now)
    return AssistedSession.objects.create(
        staff=staff or StaffFactory(),
        person=person,
        consent=consent,
        opened_at=now - datetime.timedelta(minutes=5),
        expires_at=now + datetime.timedelta(minutes=25),
    )


def _journey(figures, name):
    return next(series for series in figures.journeys if series.journey == name)


def _november(series):
    return next(row for row in series.periods if row.period == datetime.date(2026, 11, 1))


@pytest.fixture
def births():
    """Six births started this month: five registered (two online and automatically, one after a
    registrar's casework, one taken by phone support, one taken by a registrar at the office) and
    one abandoned as a draft; the last online one in another district."""
    leeds, york = RegisterOfficeFactory(code="E-LEEDS-P"), RegisterOfficeFactory(code="E-YORK-P")
    _birth(leeds)
    _birth(leeds, automatic=False)  # decided by a registrar in casework
    _birth(leeds, status="draft")  # started and abandoned
    caller = UserFactory()
    phone = StaffFactory()
    _birth(leeds, informant=caller, made_by=phone, assisted_session=_phone_session(caller, staff=phone))
    _birth(leeds, made_by=StaffFactory(), automatic=False)  # taken at the office
    _birth(york)
    return leeds, york


def test_completion_rate_counts_journeys_started_and_finished(births):
    november = _november(_journey(performance_figures(), "birth"))
    assert (november.started, november.finished) == (6, 5)
    assert november.completion_rate == Decimal("83.3")


def test_digital_take_up_splits_online_phone_support_and_registrar(births):
    november = _november(_journey(performance_figures(), "birth"))
    assert (november.online, november.by_phone_support, november.by_registrar) == (3, 1, 1)
    assert november.digital_take_up == Decimal("60.0")
    assert (november.phone_support_share, november.registrar_share) == (Decimal("20.0"), Decimal("20.0"))


def test_a_district_sees_only_its_own_journeys(births):
    leeds, york = births
    leeds_births = _november(_journey(performance_figures(district=leeds), "birth"))
    assert (leeds_births.started, leeds_births.finished, leeds_births.online) == (5, 4, 2)
    york_births = _november(_journey(performance_figures(district=york), "birth"))
    assert (york_births.started, york_births.finished, york_births.digital_take_up) == (1, 1, Decimal("100.0"))


def test_a_journey_started_last_month_counts_in_last_month(births):
    leeds, _york = births
    _birth(leeds, status="draft", created_at=timezone.now() - datetime.timedelta(days=30))
    series = _journey(performance_figures(), "birth")
    october = next(row for row in series.periods if row.period == datetime.date(2026, 10, 1))
    assert (october.started, october.finished, october.completion_rate) == (1, 0, Decimal("0.0"))
    assert series.overall.started == 7


def test_user_satisfaction_is_the_share_satisfied_or_very_satisfied():
    for rating in (5, 4, 2):
        FeedbackResponse.objects.create(journey="birth", rating=rating)
    FeedbackResponse.objects.create(journey="death", rating=1)
    figures = performance_figures()
    births, deaths = _november(_journey(figures, "birth")), _november(_journey(figures, "death"))
    assert (births.responses, births.satisfied, births.satisfaction) == (3, 2, Decimal("66.7"))
    assert deaths.satisfaction == Decimal("0.0")
    assert _november(_journey(figures, "notice")).satisfaction is None


def test_cost_per_transaction_follows_the_cost_model(births, round_costs):
    """Shared: £1,000 infrastructure + 10 messages × £0.10 = £1,001 over 6 transactions (five
    births, one paid order). Births add 2 registrar cases × 30 min × £20/h = £20; the order
    adds one payment fee of £0.50."""
    for number in range(10):
        OutboundMessage.objects.create(key=f"k{number}", channel="email", to="x@example.com", body="b")
    paid_certificate_order(make_entry(district=RegisterOfficeFactory(), event_date=datetime.date(2026, 10, 1)))
    figures = performance_figures()
    birth = _november(_journey(figures, "birth"))
    order = _november(_journey(figures, "certificate_order"))
    assert birth.registrar_cases == 2 and order.payments == 1
    assert birth.cost_per_transaction == ((Decimal(1001) * 5 / 6 + 20) / 5).quantize(Decimal("0.01"))
    assert order.cost_per_transaction == (Decimal(1001) / 6 + Decimal("0.50")).quantize(Decimal("0.01"))
    assert _november(_journey(figures, "death")).cost_per_transaction is None


def test_a_week_carries_twelve_fifty_seconds_of_a_months_infrastructure(births, round_costs):
    figures = performance_figures(period_kind="week")
    this_week = _journey(figures, "birth").periods[-1]
    assert this_week.period == datetime.date(2026, 11, 16)
    assert this_week.finished == 5
    expected = (Decimal(1000) * 12 / 52 + 20) / 5
    assert this_week.cost_per_transaction == expected.quantize(Decimal("0.01"))


def test_identity_checks_submitted_on_the_phone_and_decided_by_hand():
    helped, alone, gave_up = UserFactory(), UserFactory(), UserFactory()
    _phone_session(helped)
    now = timezone.now()
    IdentityCase.objects.create(reference=new_reference("ID"), person=helped, submitted_at=now, status="verified")
    decided = IdentityCase.objects.create(
        reference=new_reference("ID"), person=alone, submitted_at=now, status="verified"
    )
    CaseDecision.objects.create(case=decided, outcome="accept", reason="Seen on video", decided_by=StaffFactory())
    IdentityCase.objects.create(reference=new_reference("ID"), person=gave_up)
    checks = _november(_journey(performance_figures(), "identity_check"))
    assert (checks.started, checks.finished, checks.by_phone_support, checks.online) == (3, 2, 1, 1)
    assert checks.registrar_cases == 1


def test_notices_and_ceremony_bookings_are_counted_from_their_own_tables():
    make_proposal(notices="sent")  # a civil ceremony booked and both notices sent
    make_proposal(notices="draft")
    figures = performance_figures()
    notices = _november(_journey(figures, "notice"))
    assert (notices.started, notices.finished) == (4, 2)
    bookings = _november(_journey(figures, "ceremony_booking"))
    assert bookings.started == 2 and bookings.finished == 2


def test_periods_are_a_year_of_months_or_a_quarter_of_weeks():
    months = period_starts("month", today=datetime.date(2026, 2, 10))
    assert months[0] == datetime.date(2025, 3, 1) and months[-1] == datetime.date(2026, 2, 1) and len(months) == 12
    weeks = period_starts("week", today=datetime.date(2026, 11, 18))
    assert weeks[-1] == datetime.date(2026, 11, 16) and len(weeks) == 13


def test_the_figures_take_the_same_few_queries_however_many_rows(births, django_assert_max_num_queries):
    leeds, _york = births
    for _ in range(5):
        _birth(leeds)
    with django_assert_max_num_queries(8):
        performance_figures()
    with django_assert_max_num_queries(14):
        performance_figures(district=leeds)
