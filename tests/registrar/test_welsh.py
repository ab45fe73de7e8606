"""English and Welsh: the language switch, Welsh pages and Welsh error messages."""

from __future__ import annotations

import pytest
from django.conf import settings

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

    catalogue = (Path(settings.BASE_DIR) / "registrar/locale/cy/LC_MESSAGES/django.po").read_text()
    blocks = catalogue.split("\n\n")[1:]
    untranslated = [b for b in blocks if 'msgstr ""' in b and 'msgstr ""\n"' not in b]
    assert untranslated == []
    assert "#, fuzzy" not in catalogue
