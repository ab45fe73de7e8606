"""English and Welsh: the language switch, Welsh pages and Welsh error messages."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.get("/language/cy/?next=/sign-in/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    html = client.get("/sign-in/").content.decode()
    assert '<html lang="cy"' in html
    assert "Mewngofnodi gyda’ch cyfeiriad e-bost" in html


def test_switching_back_to_english(welsh):
    welsh.get("/language/en/?next=/")
    html = welsh.get("/").content.decode()
    assert '<html lang="en"' in html and "Start now" in html


def test_language_switch_ignores_an_unsafe_next(client):
    response = client.get("/language/cy/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/language/fr/").status_code == 404


@pytest.mark.parametrize(
    "url, text",
    [
        ("/", "Dechrau nawr"),
        ("/", "Neidio i’r prif gynnwys"),
        ("/sign-in/", "Cyfeiriad e-bost"),
        ("/staff/sign-in/", "Mewngofnodi staff"),
        ("/cookies/", "Cwcis hanfodol"),
        ("/no-such-page/", "Heb ddod o hyd i’r dudalen"),
    ],
)
def test_pages_are_in_welsh(welsh, url, text):
    html = welsh.get(url).content.decode()
    assert text in html
    assert '<html lang="cy"' in html


def test_form_errors_are_in_welsh(welsh):
    html = welsh.post("/sign-in/", {"email": "not-an-email"}).content.decode()
    assert "Mae problem wedi codi" in html
    assert "Rhowch gyfeiriad e-bost yn y fformat cywir" in html
    assert "<title>Gwall:" in html


def test_code_email_is_in_the_language_of_the_request(welsh):
    from identity.models import OutboundMessage

    welsh.post("/sign-in/", {"email": "ada@example.com"})
    message = OutboundMessage.objects.get(to="ada@example.com")
    assert message.body.startswith("Eich cod diogelwch yw")


def test_every_welsh_string_is_translated():
    from pathlib import Path

    catalogue = (Path(settings.BASE_DIR) / "config/locale/cy/LC_MESSAGES/django.po").read_text()
    blocks = catalogue.split("\n\n")[1:]
    untranslated = [b for b in blocks if 'msgstr ""' in b and 'msgstr ""\n"' not in b]
    assert untranslated == []
    assert "#, fuzzy" not in catalogue


# What `manage.py makemessages` is told to --ignore; everything else is the service's source.
NOT_SOURCE = {".venv", "node_modules", "build", "var", "tests", "bench", "locale", "__pycache__"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


def _catalogue_messages(path: Path) -> dict[tuple[str | None, str], dict]:
    """(msgctxt, msgid) -> its plural msgid, translations and fuzzy flag, for each live entry."""
    messages = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        fuzzy, keyword = False, ""
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith("#"):
                continue  # references, comments and obsolete (#~) entries
            elif line.startswith('"'):
                fields[keyword] += ast.literal_eval(line)
            else:
                keyword, _space, value = line.partition(" ")
                fields[keyword] = ast.literal_eval(value)
        if fields.get("msgid"):
            messages[(fields.get("msgctxt"), fields["msgid"])] = {
                "plural": fields.get("msgid_plural"),
                "translations": [value for name, value in fields.items() if name.startswith("msgstr")],
                "fuzzy": fuzzy,
            }
    return messages


def _copy_source(destination: Path) -> None:
    """The files makemessages reads, without any locale folder: run on the working tree it would
    merge into the committed catalogue and leave preprocessed templates beside the real ones."""

    def skipped(folder: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if name in NOT_SOURCE
            or name.startswith(".")
            or (Path(folder, name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
        }

    shutil.copytree(settings.BASE_DIR, destination, ignore=skipped)


def test_every_string_in_the_source_is_in_the_welsh_catalogue(tmp_path, monkeypatch):
    """Extracts the messages afresh, as `makemessages -l cy` would, and checks the committed
    catalogue has each one, translated and not fuzzy."""
    committed = Path(settings.BASE_DIR) / "config/locale/cy/LC_MESSAGES/django.po"
    committed_before = committed.read_bytes()
    _copy_source(tmp_path / "source")
    monkeypatch.chdir(tmp_path / "source")
    with override_settings(LOCALE_PATHS=[str(tmp_path / "extracted")]):
        call_command("makemessages", locale=["cy"], no_obsolete=True, verbosity=0)

    extracted = _catalogue_messages(tmp_path / "extracted/cy/LC_MESSAGES/django.po")
    catalogue = _catalogue_messages(committed)
    assert len(extracted) > 500  # the extraction really read the apps
    missing = [key[1] for key in extracted if key not in catalogue]
    assert missing == [], "run manage.py makemessages -l cy, then translate these in the catalogue"
    changed_plural = [key[1] for key, entry in extracted.items() if catalogue[key]["plural"] != entry["plural"]]
    assert changed_plural == []
    fuzzy = [key[1] for key in extracted if catalogue[key]["fuzzy"]]
    assert fuzzy == []
    untranslated = [key[1] for key in extracted if not all(catalogue[key]["translations"])]
    assert untranslated == []
    assert committed.read_bytes() == committed_before
