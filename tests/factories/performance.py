"""Requests that reach every status the open data operation documents."""

from __future__ import annotations

from rest_framework.test import APIClient

OPEN_DATA = "/api/v1/open-data/{dataset}"


def reach_documented_statuses(hit) -> None:
    """200 (JSON and CSV), a bad year (400), an unknown file (404)."""
    anonymous = APIClient()
    births = {"dataset": "births-by-month"}
    hit(anonymous, "GET", OPEN_DATA, births)  # 200
    hit(anonymous, "GET", OPEN_DATA, births, data={"format": "csv"})  # 200
    hit(anonymous, "GET", OPEN_DATA, births, data={"year": "1800"})  # 400
    hit(anonymous, "GET", OPEN_DATA, {"dataset": "parking-tickets"})  # 404
