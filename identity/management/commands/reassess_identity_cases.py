"""`manage.py reassess_identity_cases [--dry-run]`: score every submitted identity check again
under the current scoring table and report how many change level and why."""

from django.core.management.base import BaseCommand

from identity.confidence import ELEMENT_NAMES
from identity.reassessment import reassess_all


class Command(BaseCommand):
    help = "Re-score verified identity checks and those with a registrar; report who changes level and why."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = reassess_all(dry_run=dry_run)
        would = "would " if dry_run else ""
        self.stdout.write(f"Identity checks re-assessed: {report.checked}")
        self.stdout.write(f"  verified, still at medium: {report.stayed_medium}")
        self.stdout.write(f"  verified, {would}go back to a registrar: {report.dropped}")
        for element, count in report.dropped_because.most_common():
            self.stdout.write(f"    short on {str(ELEMENT_NAMES[element]).lower()}: {count}")
        self.stdout.write(f"  with a registrar, {would}now verified: {report.raised}")
        self.stdout.write(f"  with a registrar, still below medium: {report.stayed_below}")
        if report.not_moved:
            self.stdout.write(
                f"  verified but not moved, because the person has another check open: {len(report.not_moved)} "
                f"({', '.join(report.not_moved[:20])})"
            )
