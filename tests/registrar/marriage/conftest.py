"""Fixtures for marriages and civil partnerships: a proposal at each stage (tests/factories/marriage.py)."""

from __future__ import annotations

import pytest

from tests.factories.marriage import make_proposal


@pytest.fixture
def proposal(db):
    """A civil marriage with a provisional ceremony, both notices still being written."""
    return make_proposal()


@pytest.fixture
def waiting_proposal(db):
    """Both notices given today, both people exempt: the 28-day wait has begun."""
    return make_proposal(notices="given")
