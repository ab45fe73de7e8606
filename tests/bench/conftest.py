"""The benchmarks' own checks: slow, as each starts the service under gunicorn."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts servers and runs for a minute or more")
