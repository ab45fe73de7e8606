"""`manage.py verify_audit`: check the audit log's keyed hash chain, then the table against the
newest signed checkpoints in their own storage; exit 1 with what was found."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from identity.audit import verify_chain, verify_checkpoints


def _checkpoint_count(value: str) -> int | None:
    if value == "all":
        return None
    count = int(value)
    if count < 0:
        raise ValueError(value)
    return count


class Command(BaseCommand):
    help = (
        "Verify the audit log: every entry's keyed hash and link, then the table against the "
        "newest signed checkpoints, so that edits, re-forging and a cut tail are all reported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            type=_checkpoint_count,
            default=settings.AUDIT_CHECKPOINTS_VERIFIED,
            help="How many of the newest checkpoints to compare with the table, or 'all' "
            f"(default {settings.AUDIT_CHECKPOINTS_VERIFIED}, AUDIT_CHECKPOINTS_VERIFIED).",
        )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit log tampered: entry {report.first_bad_sequence}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        checkpoints = verify_checkpoints(report, limit=options["checkpoints"])
        if not checkpoints.intact:
            raise CommandError("Audit log does not match its checkpoints: " + "; ".join(checkpoints.problems) + ".")
        if checkpoints.checked == 0:
            self.stdout.write(
                self.style.WARNING("No checkpoint yet: run `manage.py checkpoint_audit` to anchor the log.")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {report.checked} entries verified"
                f" against {checkpoints.checked} checkpoint{'s' if checkpoints.checked != 1 else ''}."
            )
        )
