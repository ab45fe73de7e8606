"""`manage.py checkpoint_audit`: sign the audit log's head and store it where the database cannot
rewrite it (the beat task does the same every AUDIT_CHECKPOINT_INTERVAL_SECONDS)."""

from django.core.management.base import BaseCommand, CommandError

from identity.audit import AuditConfigurationError, ChainBroken, CheckpointInvalid, new_signing_key, write_checkpoint


class Command(BaseCommand):
    help = "Write a signed checkpoint of the audit log's head, if it moved since the last one."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-signing-key",
            metavar="KEY_ID",
            help="Print a fresh AUDIT_CHECKPOINT_SIGNING_KEY value and its public key, and write nothing.",
        )

    def handle(self, *args, **options):
        if options["new_signing_key"]:
            private, public = new_signing_key(options["new_signing_key"])
            self.stdout.write(f"AUDIT_CHECKPOINT_SIGNING_KEY={private}\npublic key (Ed25519, base64): {public}")
            return
        try:
            result = write_checkpoint()
        except (ChainBroken, CheckpointInvalid, AuditConfigurationError) as error:
            raise CommandError(f"No checkpoint written: {error}. Run `manage.py verify_audit`.") from error
        if result.checkpoint is None:
            self.stdout.write("The audit log is empty: nothing to checkpoint.")
        elif result.written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoint written at entry {result.checkpoint.sequence}: {result.checkpoint.storage_name}"
                )
            )
        else:
            self.stdout.write(f"No new entries since the checkpoint at entry {result.checkpoint.sequence}.")
