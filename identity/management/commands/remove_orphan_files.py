"""Remove stored files that no row refers to (a process killed between writing a file and
committing its row), older than ORPHAN_FILE_GRACE_SECONDS or --older-than seconds."""

from django.core.management.base import BaseCommand

from core.storage import orphan_files, remove_orphan_files


class Command(BaseCommand):
    help = "Remove stored files that no row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=None, help="seconds (default: the grace setting)")
        parser.add_argument("--dry-run", action="store_true", help="list them, remove nothing")

    def handle(self, *args, older_than=None, dry_run=False, **options):
        if dry_run:
            for _storage, name in orphan_files(older_than_seconds=older_than):
                self.stdout.write(name)
            return
        removed = remove_orphan_files(older_than_seconds=older_than)
        self.stdout.write(f"Removed {removed} file(s) that no row refers to.")
