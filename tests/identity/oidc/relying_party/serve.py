"""Runs the relying party on 127.0.0.1 at the port given: `python -m tests.identity.oidc.relying_party.serve PORT`."""

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.identity.oidc.relying_party.settings"

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the settings module is named


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()
