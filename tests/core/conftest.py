"""Core test set-up: the register offices as the office data has them."""

from __future__ import annotations

import pytest

from tests.factories import make_real_offices


@pytest.fixture
def offices(db):
    """All 175 register offices of identity/data/register_offices.csv, by code."""
    return make_real_offices()
