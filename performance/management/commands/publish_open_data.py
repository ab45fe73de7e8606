"""Writes every open data file for a year into a folder, as CSV and JSON, exactly as the API
serves them (the same disclosure control), for publication elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from performance import open_data
from performance.api import CSVRenderer
from performance.forms import FIRST_YEAR


class Command(BaseCommand):
    help = "Write the open data files (births, deaths, weekly deaths, marriages and civil partnerships) to a folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", required=True, help="The folder to write the files into (made if missing).")
        parser.add_argument("--year", type=int, help="Year of registration; this year when left out.")

    def handle(self, *args, to: str, year: int | None, **options) -> None:
        this_year = timezone.localdate().year
        year = year or this_year
        if not FIRST_YEAR <= year <= this_year:
            raise CommandError(f"--year must be from {FIRST_YEAR} to {this_year}.")
        folder = Path(to)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        folder.mkdir(parents=True, exist_ok=True)
        for key in open_data.DATASETS:
            body = open_data.as_json(open_data.publication(key, year=year))
            (folder / f"{key}-{year}.json").write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
            (folder / f"{key}-{year}.csv").write_bytes(CSVRenderer().render(body))
            self.stdout.write(f"{key}-{year}: {len(body['rows'])} rows")
