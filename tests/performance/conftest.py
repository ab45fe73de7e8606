"""Fixtures of the performance tests: a fixed day in the middle of a month, and a cost model
with round numbers so that each cost can be worked out by hand."""

from __future__ import annotations

import datetime

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _mid_november():
    with time_machine.travel(datetime.datetime(2026, 11, 18, 11, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def round_costs(settings):
    settings.PERFORMANCE_COST_MODEL = {
        "infrastructure_per_month": "1000.00",
        "staff_minutes_per_registrar_case": 30,
        "staff_cost_per_hour": "20.00",
        "payment_fee": "0.50",
        "message_fee": "0.10",
    }
    return settings.PERFORMANCE_COST_MODEL
