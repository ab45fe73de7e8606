"""The citizen journeys as locust users, over HTTP as a browser walks them: each page fetched,
its form read (the CSRF token and every hidden or preset field kept), the answers posted and
the redirects followed. Every request is named after its step, so locust's figures are per step.

Each person signs in with the code emailed to them, proves their identity through the staged
checks (a passport of their own with real check digits, its photo, a photo of their face and a
bank statement, against the sandbox checkers a staging site runs), registers a birth, registers
a death whose medical certificate a medical examiner has just sent through the API, searches the
national calendar and books a ceremony slot, then searches the index, orders a certificate and
pays through the sandbox payment provider.

Two things come from the service's database rather than over HTTP, as no browser could get
them: the code in the person's email (the outbox, where NOTIFICATIONS_BACKEND=outbox keeps
every message) and the medical examiner's API token. The locust process is therefore started
with the service's DATABASE_URL (bench/bench_locust.py does so)."""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import re
import secrets
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import django
import gevent
from locust import HttpUser, events, task
from requests.adapters import HTTPAdapter

django.setup()

# Django's models and the service's own helpers for made-up passports, after setup.
from django.utils import timezone  # noqa: E402

from booking import selectors as booking_selectors  # noqa: E402
from identity.management.commands.demo_passport import document_photo, mrz_lines  # noqa: E402
from identity.models import OutboundMessage, User  # noqa: E402
from identity.services import issue_api_token  # noqa: E402
from tests import face_photos  # noqa: E402

# The most common surnames, for a register loaded some other way (the searches below are tried
# in turn); bench_locust.py passes what it found in the register it loaded instead.
INDEX_SURNAMES = ["SMITH", "JONES", "WILLIAMS", "TAYLOR", "BROWN", "DAVIES", "EVANS", "WILSON", "THOMAS", "JOHNSON"]
# What bench_locust.py found in the register it loaded: (surname, year) of births that are there.
SEARCHES = json.loads(os.environ.get("BENCH_LOCUST_SEARCHES") or "[]") or [
    (surname, 1935 + n * 3) for n, surname in enumerate(INDEX_SURNAMES)
]
# Places to search near, across England and Wales, so that each search reads other venues.
PLACES = ["LS1 3AD", "M1 1AE", "B1 1BB", "CF10 1EP", "SW1A 1AA", "NE1 4ST", "BS1 4DJ", "NR2 1NH", "SA1 1DP", "YO1 7HH"]
FIRST_NAMES = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Noah", "Oliver", "George", "Arthur", "Muhammad"]
MIDDLE_NAMES = ["Rose", "Grace", "Mae", "Jane", "Elis", "James", "Thomas", "Rhys", "Dafydd", "Lee"]
MOTHERS = ["Emma", "Sophie", "Ffion", "Hannah", "Lowri", "Chloe", "Seren", "Megan", "Cerys", "Nia"]
EXAMINER = "examiner@registrar.example"
PDF = "%PDF"  # what a step expects when its answer is a PDF file rather than a page
SEQUENCE = itertools.count(1)
# BENCH_LOCUST_JOURNEYS: stop once this many people have been through (0: when locust's run time
# is up), so that a check can wait for whole journeys.
JOURNEYS = int(os.environ.get("BENCH_LOCUST_JOURNEYS", "0"))
FINISHED: list[int] = []
RUN = secrets.token_hex(3)
EXAMINER_TOKEN: list[str] = []


BOOKABLE_FROM: list[date] = []


@events.test_start.add_listener
def _before_the_first_person(environment, **_kwargs) -> None:
    token, _expires = issue_api_token(user=User.objects.get(email=EXAMINER))
    EXAMINER_TOKEN.append(token)
    BOOKABLE_FROM.append(booking_selectors.bookable_dates("ceremony")[0])


@events.quitting.add_listener
def _write_figures(environment, **_kwargs) -> None:
    """Each step's figures into BENCH_LOCUST_FIGURES (JSON), when given: written as locust quits,
    so they hold every request (its CSV files are written every few seconds and can miss the last)."""
    path = os.environ.get("BENCH_LOCUST_FIGURES")
    if not path:
        return
    entries = [*environment.stats.entries.values(), environment.stats.total]
    figures = [
        {
            "step": entry.name if entry is not environment.stats.total else "all steps",
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "per_second": entry.total_rps,
            "p50": entry.get_response_time_percentile(0.5) or 0,
            "p95": entry.get_response_time_percentile(0.95) or 0,
            "p99": entry.get_response_time_percentile(0.99) or 0,
        }
        for entry in sorted(entries[:-1], key=lambda entry: entry.name) + entries[-1:]
    ]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(figures, handle)


class JourneyStopped(Exception):
    """A page did not lead where the journey goes next; the request is already counted as failed."""


class _Forms(HTMLParser):
    """The forms of a page: action, method, fields with their preset values, and submit buttons
    with their words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._text: list | None = None  # a button's or textarea's words being read
        self._select: str | None = None
        self._in_main = False

    def handle_starttag(self, tag, attributes):
        attributes = {name: value or "" for name, value in attributes}
        if tag == "main":
            self._in_main = True
        if tag == "form":
            self._form = {
                "action": attributes.get("action", ""),
                "method": attributes.get("method", "get").lower(),
                "fields": [],
                "buttons": [],
                "in_main": self._in_main,  # not the header's sign-out or language forms
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        kind = attributes.get("type", "text" if tag == "input" else "submit").lower()
        name = attributes.get("name", "")
        if tag == "button" or (tag == "input" and kind == "submit"):
            button = {"name": name, "value": attributes.get("value", ""), "words": []}
            form["buttons"].append(button)
            if tag == "button":
                self._text = button["words"]
            else:
                button["words"].append(attributes.get("value", ""))
        elif tag == "input" and name:
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    form["fields"].append((name, attributes.get("value", "on")))
            elif kind != "file":
                form["fields"].append((name, attributes.get("value", "")))
        elif tag == "textarea" and name:
            field = [name, ""]
            form["fields"].append(field)
            self._text = field
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            form["fields"].append((self._select, attributes.get("value", "")))

    def handle_data(self, data):
        if self._text is None:
            return
        if isinstance(self._text, list) and len(self._text) == 2 and isinstance(self._text[1], str):
            self._text[1] += data
        else:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "main":
            self._in_main = False
        elif tag in ("button", "textarea"):
            self._text = None
        elif tag == "select":
            self._select = None


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _reads(text: list[str], words: str) -> bool:
    """Whether a button or link reads `words`, perhaps followed by words for screen readers
    ("Choose<span class="govuk-visually-hidden"> 10am at ...</span>")."""
    shown = _words("".join(text))
    return shown == words or shown.startswith(words + " ")


class _LoadBalancer(HTTPAdapter):
    """The load balancer that ends HTTPS in front of gunicorn: the browser asks for https://
    addresses (locust's host, the service's SITE_URL, addresses the service builds from a request
    that came through HTTPS), so its Secure cookies are sent as over HTTPS, and each request goes
    to the server under test over plain HTTP, with X-Forwarded-Proto saying it came by HTTPS."""

    def __init__(self, server: str) -> None:
        super().__init__()
        self.server = urlsplit(server).netloc

    def send(self, request, **options):
        address = urlsplit(request.url)
        routed = request.copy()
        routed.url = urlunsplit(("http", self.server, address.path, address.query, ""))
        response = super().send(routed, **options)
        response.url, response.request = request.url, request
        return response


class Browser:
    """One person's browser: fetches pages, fills in and sends their forms, follows redirects,
    and fails the step when the page is not the one the journey expects."""

    def __init__(self, user: HttpUser) -> None:
        self.client = user.client
        self.client.cookies.clear()
        self.client.mount("https://", _LoadBalancer(user.host))
        self.client.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "en"})
        self.host = user.host.rstrip("/")
        self.html = ""
        self.url = self.host + "/"

    def _request(self, step: str, method: str, url: str, *, expect: str | None, **options):
        # The CSRF check on HTTPS requires a Referer from the service's own origin (the host the
        # load balancer sends every request to, whatever address the page was asked for by).
        referer = "https://" + urlsplit(self.host).netloc + urlsplit(self.url).path
        headers = {"Referer": referer, **options.pop("headers", {})}
        with self.client.request(method, url, name=step, headers=headers, catch_response=True, **options) as response:
            problem = None
            if response.status_code != 200:
                problem = f"{step}: status {response.status_code} at {urlsplit(response.url or url).path}"
            elif expect == PDF:
                problem = None if response.content.startswith(b"%PDF-") else f"{step}: not a PDF"
            elif "govuk-error-summary" in response.text:
                summary = response.text.split("govuk-error-summary", 1)[1][:2000]
                problem = f"{step}: the form was refused: {_words(summary)[:200]}"
            elif expect and expect not in _words(response.text):
                heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)
                problem = f"{step}: {expect!r} not on the page {_words(heading.group(1)) if heading else ''!r}"
            if problem:
                response.failure(problem)
                raise JourneyStopped(problem)
            response.success()
        self.html, self.url = response.text, response.url
        return response

    def get(self, step: str, path: str, *, expect: str | None = None):
        return self._request(step, "GET", urljoin(self.url, path), expect=expect)

    def api(self, step: str, path: str, body: dict, token: str) -> dict:
        with self.client.post(
            self.host + path,
            json=body,
            name=step,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{step}: status {response.status_code}")
                raise JourneyStopped(step)
            return response.json()

    def submit(
        self,
        step: str,
        answers: dict | None = None,
        *,
        button: str = "",
        files: dict | None = None,
        expect: str | None = None,
        choice: int = 0,
    ):
        """Sends the form of the current page that has `button` (its words; the page's first form
        that posts when not given; of several such forms, the one `choice` picks in turn), with
        its preset fields and `answers` over them."""
        parser = _Forms()
        parser.feed(self.html)
        chosen = [
            (form, pressed)
            for form in parser.forms
            for pressed in form["buttons"] or [{"name": "", "words": []}]
            if (_reads(pressed["words"], button) if button else form["method"] == "post" and form["in_main"])
        ]
        if not chosen:
            problem = f"{step}: no form with the button {button!r} at {urlsplit(self.url).path}"
            self.client.request_event.fire(
                request_type="POST",
                name=step,
                response_time=0,
                response_length=0,
                response=None,
                context={},
                exception=JourneyStopped(problem),
            )
            raise JourneyStopped(problem)
        form, pressed = chosen[choice % len(chosen)]
        data: dict[str, list[str]] = {}
        for name, value in form["fields"]:
            data.setdefault(name, []).append(value)
        for name, value in (answers or {}).items():
            data[name] = value if isinstance(value, list) else [str(value)]
        if pressed["name"]:
            data[pressed["name"]] = [pressed["value"]]
        action = urljoin(self.url, form["action"] or self.url)
        if form["method"] == "get":
            return self._request(step, "GET", action, params=data, expect=expect)
        return self._request(step, "POST", action, data=data, files=files, expect=expect)

    def follow(self, step: str, words: str, *, expect: str | None = None):
        """Follows the link of the current page that reads `words`."""
        main = self.html.split("<main", 1)[-1]
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', main, re.S):
            if _reads([text], words):
                return self.get(step, href.replace("&amp;", "&"), expect=expect)
        return self.submit(step, button=words, expect=expect)


def _date(prefix: str, value: date) -> dict[str, str]:
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def _names(number: int) -> tuple[str, str]:
    """First and middle names, and a surname, different for each of 1,000 people in turn; with
    the dates that vary too, no two people's registrations look like duplicates of each other."""
    first = FIRST_NAMES[number % 10]
    middle = MIDDLE_NAMES[number // 10 % 10]
    return f"{first} {middle}", INDEX_SURNAMES[number // 100 % 10].title()


def _jpeg(seed: str) -> bytes:
    output = io.BytesIO()
    document_photo(seed).save(output, format="JPEG", quality=90)
    return output.getvalue()


class Citizen(HttpUser):
    """A person who signs in, proves who they are, registers a birth and a death, books a
    ceremony and orders a certificate; each round of the task is another person."""

    wait_time = staticmethod(lambda: 0)

    @task
    def every_journey(self) -> None:
        number = next(SEQUENCE)
        browser = Browser(self)
        try:
            email = f"locust-{RUN}-{number}@example.com"
            self.sign_in(browser, email)
            self.prove_identity(browser, number)
            self.register_birth(browser, number)
            self.register_death(browser, number)
            self.book_ceremony(browser, number)
            self.order_certificate(browser, number)
        except JourneyStopped as stopped:
            # Counted as a failure of its step; the next person starts afresh.
            logging.warning("Journey stopped: %s", stopped)
        FINISHED.append(number)
        if JOURNEYS and len(FINISHED) >= JOURNEYS:
            self.environment.runner.quit()

    def sign_in(self, browser: Browser, email: str) -> None:
        browser.get("sign in: email form", "/sign-in/")
        browser.submit("sign in: send code", {"email": email}, expect="Check your email")
        body = OutboundMessage.objects.filter(to=email).order_by("-id").values_list("body", flat=True).first() or ""
        code = re.search(r"\b(\d{6})\b", body)
        browser.get("sign in: code form", "/sign-in/code/")
        browser.submit("sign in: check code", {"code": code.group(1) if code else ""})

    def prove_identity(self, browser: Browser, number: int) -> None:
        """A UK passport of this person's own (two people sharing a passport number or a photo
        is rightly flagged as fraud), its photo, a photo of their face and a bank statement."""
        passport = f"{number % 10**9:09d}"
        expires = timezone.localdate().replace(year=timezone.localdate().year + 5)
        given, surname, born = "Sarah Meredyth", "Morgan", date(1976, 3, 11)
        line1, line2 = mrz_lines(given=given, surname=surname, born=born, sex="F", number=passport, expires=expires)
        browser.get("identity: start", "/identity/")
        browser.get("identity: document type form", "/identity/document-type/")
        browser.submit("identity: choose passport", {"document_type": "passport"})
        answers = {"given_names": given, "surname": surname, "document_number": passport}
        answers |= _date("birth_date", born) | _date("expiry_date", expires)
        browser.submit("identity: passport details", answers | {"mrz_line1": line1, "mrz_line2": line2})
        document = {"photo": ("passport.jpg", _jpeg(f"{RUN}-passport-{number}"), "image/jpeg")}
        browser.submit("identity: passport photo", files=document, expect="Take a photo of your face")
        # The service looks for exactly one face at upload: a real one, as tests and
        # bench/face_match_rates.py use, from a photo the test build installs.
        face = {"photo": ("selfie.jpg", face_photos.selfie("collins", variant=number), "image/jpeg")}
        browser.submit("identity: photo of face", files=face)
        address = {"address": "1 The Headrow, Leeds", "postcode": "LS1 3AD", "document_type": "bank_statement"}
        address |= {"document_name": f"{given.split()[0]} {surname}", "document_postcode": "LS1 3AD"}
        browser.submit("identity: proof of address", address | _date("issued_on", timezone.localdate() - timedelta(5)))
        statement = {"photo": ("statement.jpg", _jpeg(f"{RUN}-statement-{number}"), "image/jpeg")}
        browser.submit("identity: statement photo", files=statement)
        browser.submit("identity: check", button="Check my identity", expect="Your identity is confirmed")

    def register_birth(self, browser: Browser, number: int) -> None:
        browser.get("birth: start", "/register/")
        browser.follow("birth: before you start", "Register a birth")
        browser.submit("birth: new registration", button="Start a new registration")
        browser.submit("birth: informant", {"qualification": "mother"})
        born = timezone.localdate() - timedelta(days=3 + number // 1000 % 30)
        forenames, surname = _names(number)
        sex = "female" if number % 10 < 5 else "male"
        child = {"forenames": forenames, "surname": surname, "sex": sex, "multiple_birth": "no"}
        browser.submit("birth: the child", child | _date("date_of_birth", born))
        place = {"place_type": "hospital", "place_name": "Leeds General Infirmary"}
        browser.submit(
            "birth: place of birth", place | {"address": "Great George Street, Leeds", "postcode": "LS1 3EX"}
        )
        mother = {
            "forenames": f"{MOTHERS[number % 10]} {MIDDLE_NAMES[number // 10 % 10]}",
            "surname": surname,
            "maiden_surname": "Clarke",
            "place_of_birth": "York",
        }
        mother |= {"address": "12 Park Lane, Leeds", "postcode": "LS1 3AD"}
        # Births of one mother (by name) months apart are rightly sent to a registrar as possible
        # duplicates: each person's names differ from the last 999 people's.
        mother_born = date(1985, 1, 1) + timedelta(days=number % 5000)
        browser.submit("birth: the mother", mother | _date("date_of_birth", mother_born))
        browser.submit("birth: the parents", {"parents_married": "yes"})
        father = {"forenames": "Daniel", "surname": surname, "place_of_birth": "Cardiff"}
        browser.submit("birth: the father", father | _date("date_of_birth", mother_born - timedelta(days=700)))
        browser.follow("birth: declaration", "Continue")
        browser.submit("birth: send", {"confirmed": "on"}, expect="Registration complete")

    def register_death(self, browser: Browser, number: int) -> None:
        """The medical examiner sends the medical certificate through the API; the relative then
        registers the death with its reference."""
        forenames, surname = _names(number)
        born, died = date(1941, 3, 9) + timedelta(days=number % 3000), timezone.localdate() - timedelta(days=1)
        reference = f"MCCD-{RUN}-{number}".upper()
        certificate = {
            "reference": reference,
            "deceased_given_names": forenames,
            "deceased_surname": surname,
            "deceased_date_of_birth": born.isoformat(),
            "date_of_death": died.isoformat(),
            "place_of_death": "St James's University Hospital, Leeds",
            "place_of_death_postcode": "LS9 7TF",
            "cause_of_death": "1a Bronchopneumonia",
            "certifying_practitioner": "Dr Priya Shah",
            "medical_examiner": "Dr Owen Hughes",
        }
        browser.api(
            "death: medical examiner sends the MCCD (API)", "/api/v1/registrar/mccd", certificate, EXAMINER_TOKEN[0]
        )
        browser.get("death: start", "/register/")
        browser.follow("death: before you start", "Register a death")
        browser.submit("death: new registration", button="Start a new registration")
        browser.submit("death: informant", {"qualification": "relative_present", "relationship": "Daughter"})
        sex = "female" if number % 10 < 5 else "male"
        deceased = {"forenames": forenames, "surname": surname, "sex": sex, "address": "4 Oak Road, Leeds"}
        browser.submit("death: the person who died", deceased | _date("date_of_birth", born))
        death = {"place_of_death": "St James's University Hospital", "postcode": "LS9 7TF"}
        browser.submit("death: date and place", death | _date("date_of_death", died))
        browser.submit("death: the certificate's reference", {"reference": reference.lower()})
        informant = {"full_name": f"Susan {surname}", "address": "4 Oak Road, Leeds", "postcode": "LS6 1AA"}
        browser.submit("death: the informant", informant)
        funeral = {"arranger_name": f"Susan {surname}", "arranger_email": f"funeral-{RUN}-{number}@example.org"}
        browser.submit("death: the funeral", funeral | {"disposal": "cremation" if number % 2 else "burial"})
        browser.follow("death: declaration", "Continue")
        browser.submit("death: send", {"confirmed": "on"}, expect="Registration complete")

    def book_ceremony(self, browser: Browser, number: int) -> None:
        browser.get("booking: start", "/book/")
        browser.follow("booking: search form", "Search for a date")
        # Each search from another place and week, on Saturdays or any day.
        first = BOOKABLE_FROM[0] + timedelta(days=7 * (number % 8))
        search = {"place": PLACES[number % len(PLACES)], "guests": str(10 + number % 40), "order": "date"}
        search |= _date("date_from", first) | _date("date_to", first + timedelta(days=14))
        if number % 2:
            search["weekdays"] = "sat"
        browser.submit("booking: search", search, expect="times found")
        browser.submit("booking: choose a time", button="Choose", choice=number)
        forenames, surname = _names(number)
        for party, name in (("first", f"{forenames} {surname}"), ("second", f"Kit {surname}")):
            details = {"full_name": name, "postcode": PLACES[number % len(PLACES)]}
            details |= _date("date_of_birth", date(1990, 5, 17)) | _date("lived_there_since", date(2020, 2, 1))
            browser.submit(f"booking: {party} person's details", details, button="Continue")
        browser.submit("booking: book", button="Book provisionally", expect="Ceremony booked provisionally")

    def order_certificate(self, browser: Browser, number: int) -> None:
        browser.get("certificate: start", "/certificates/")
        browser.follow("certificate: search form", "Search the index")
        # Births more than 50 years ago: a more recent one needs its date, place and parents'
        # names, which only the person ordering would know.
        surname, year = SEARCHES[number % len(SEARCHES)]
        search = {"event": "birth", "surname": surname, "year": str(year), "years_either_side": "10"}
        if number % 2:
            search["sounds_like"] = "on"
        browser.submit("certificate: search the index", search, button="Search", expect="Order a certificate for")
        orders = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>\s*Order\s*<span', browser.html)
        browser.get("certificate: order form", orders[number % len(orders)].replace("&amp;", "&"))
        browser.submit("certificate: kind and copies", {"kind": "full_birth" if number % 2 else "short_birth"})
        forenames, surname = _names(number)
        applicant = {"full_name": f"{forenames} {surname}", "address": "1 High Street\nLeeds", "postcode": "LS1 3AD"}
        browser.submit("certificate: applicant", applicant)
        browser.submit("certificate: continue to payment", button="Continue to payment", expect="Enter card details")
        card = {"card_number": "4444333322221111", "name_on_card": f"{forenames[0]} {surname}"}
        browser.submit("certificate: pay (sandbox provider)", card, button="Pay")
        # While a worker makes the PDF the order page refreshes itself every 3 seconds (its
        # meta refresh), as the browser follows.
        for _refresh in range(40):
            if "Your certificate is ready" in _words(browser.html):
                break
            gevent.sleep(3)
            browser.get("certificate: order page refreshed while the PDF is made", browser.url)
        browser.follow("certificate: download the PDF", "Download PDF", expect=PDF)
