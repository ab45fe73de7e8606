"""`manage.py create_signing_key`: a development CA and certificate-signing key pair, written
where the settings look for them (var/signing/ by default). Keeps existing keys unless --force."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates.signing import create_development_keys


class Command(BaseCommand):
    help = "Create a development certificate authority and signing key for certificate PDFs."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace existing keys.")

    def handle(self, *args, **options):
        key_path = Path(settings.CERTIFICATE_SIGNING_KEY_PATH)
        if key_path.exists() and not options["force"]:
            self.stdout.write(f"Signing key already at {key_path}")
            return
        paths = create_development_keys(key_path.parent, passphrase=settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE)
        expected = {
            "key": key_path,
            "cert": Path(settings.CERTIFICATE_SIGNING_CERT_PATH),
            "ca": Path(settings.CERTIFICATE_SIGNING_CA_PATH),
        }
        for name, path in paths.items():
            if path != expected[name]:
                path.replace(expected[name])
        self.stdout.write(f"Development signing key and certificate written to {key_path.parent}")
