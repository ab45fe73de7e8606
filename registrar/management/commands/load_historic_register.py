"""`manage.py load_historic_register --size N`: a generated historic central register of N
entries (`registrar.historic`), for the demo and the index-search benchmark. Deterministic for
the same seed and size, resumable and idempotent: a year already loaded is skipped. On
PostgreSQL, years are written by --workers processes side by side, and a first (or large) load
builds the indexes once at the end."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registrar.historic import load_historic_register


class Command(BaseCommand):
    help = "Load a generated historic register of --size entries (idempotent and resumable, a year at a time)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=1_000_000, help="Entries in all (default 1,000,000).")
        parser.add_argument("--first-year", type=int, default=1920)
        parser.add_argument("--last-year", type=int, default=None, help="Default: last year.")
        parser.add_argument("--seed", default="registrar-historic")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes generating and writing years side by side on PostgreSQL (default: one per core).",
        )

    def handle(self, *args, **options):
        done = [0]

        def progress(year: int, count: int, seconds: float) -> None:
            done[0] += count
            if options["verbosity"] > 0:
                rate = done[0] / seconds if seconds else 0
                self.stdout.write(
                    f"  {year}: {done[0]:,} of {options['size']:,} entries ({done[0] / options['size']:.0%}), "
                    f"{seconds:.0f}s, {rate:,.0f} entries/s"
                )

        try:
            loaded = load_historic_register(
                size=options["size"],
                first_year=options["first_year"],
                last_year=options["last_year"] or timezone.localdate().year - 1,
                seed=options["seed"],
                workers=options["workers"],
                progress=progress,
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(
            f"Historic register: {loaded.entries} entries loaded in {loaded.seconds:.1f}s "
            f"({loaded.years_skipped} years already there); {loaded.historic_total} historic entries in all"
            + (", indexes built once after the load." if loaded.bulk else ".")
        )
