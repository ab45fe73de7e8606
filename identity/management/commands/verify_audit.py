"""`manage.py verify_audit`: check the audit log's hash chain; exit 1 at the first tampered entry."""

from django.core.management.base import BaseCommand, CommandError

from identity.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log hash chain and report the first entry that was tampered with."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit log tampered: entry {report.first_bad_sequence}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {report.checked} entries verified."))
