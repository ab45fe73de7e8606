"""A marriage from notice to certificate in Chromium, axe on every page: both people's notices
are sent; one books an interview in person, in Welsh, the other by video with JavaScript off;
the registrar records both notices given on the interview day; the notice is on the public
notices page and someone objects (JavaScript off); the superintendent registrar dismisses the
objection; after the 28 days the authority is issued; on the day the registrar records the
ceremony and registers it; the couple order the certificate and it is verified."""

from __future__ import annotations

import datetime
from datetime import time

import pytest
import time_machine
from django.utils import timezone

from booking.demo import ensure_patterns
from booking.models import Room
from booking.selectors import UK
from certificates.models import Certificate
from certificates.signing import create_development_keys
from registrar.marriage import rules, schedule_selectors
from registrar.models import Notice, Objection, Proposal, RegisterEntry
from registrar.tasks.marriage_schedules import issue_due_authorities
from tests.browser.journeys import axe_without_javascript, code_from_outbox, fill_date, sign_in, staff_sign_in, welsh
from tests.factories.marriage import make_proposal, verified_person
from tests.factories.marriage_interview import registrar_of
from tests.factories.marriage_schedules import superintendent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path, live_server):
    keys = create_development_keys(tmp_path / "signing")
    settings.CERTIFICATE_SIGNING_KEY_PATH = keys["key"]
    settings.CERTIFICATE_SIGNING_CERT_PATH = keys["cert"]
    settings.CERTIFICATE_SIGNING_CA_PATH = keys["ca"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.SITE_URL = live_server.url


def _click(checked, role: str, name: str, **options):
    checked.page.get_by_role(role, name=name, **options).first.click()
    return checked.check()


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, time(hour), tzinfo=UK)


def _book_interview(checked, proposal, words, *, way: str, first_day: datetime.date):
    """From the couple's page: book the interview, search from `first_day`, choose the first time."""
    page = checked.goto(f"/marry/proposal/{proposal.reference}/")
    _click(checked, "link", words("Book your interview"))
    assert page.get_by_role("heading", name=words("How would you like your interview?")).is_visible()
    _click(checked, "link", words("In person at a register office" if way == "in-person" else "By video call"))
    if way == "in-person":  # near a place, at any register office
        page.get_by_label(words("Postcode or town")).fill("LS1 3AD")
    fill_date(page, "date_from", first_day)
    fill_date(page, "date_to", first_day + datetime.timedelta(days=6))
    _click(checked, "button", words("Search"), exact=True)
    results = page.locator(".app-slot-list").inner_text()
    assert "£" not in results and "Notice room" not in results  # no ceremony room or its fee
    if way == "video":
        assert words("Video call with a registrar") in results
    _click(checked, "button", words("Choose"))
    assert page.title().startswith(words("Check your interview before booking"))
    _click(checked, "button", words("Book the interview"))
    assert page.get_by_role("heading", name=words("Your interview is booked")).is_visible()


def _sign_in_again(checked, email: str, words) -> None:
    """Signed out by the time that has passed: sign in again, in the person's language."""
    page = checked.goto("/")
    _click(checked, "button", words("Start now"))
    page.get_by_label(words("Email address")).fill(email)
    _click(checked, "button", words("Continue"))
    code = code_from_outbox(checked)
    page = checked.goto("/sign-in/code/")
    page.get_by_label(words("Security code")).fill(code)
    _click(checked, "button", words("Continue"))


def _order_and_verify(checked, words, tmp_path):
    """From the couple's page: order the certificate, pay in the sandbox, then check it on /verify/."""
    page = checked.page
    _click(checked, "link", words("Order a certificate (indexed under %(name)s)").split("(")[0].strip())
    page.locator("input[name=kind]").first.check()
    page.get_by_label(words("How many copies?")).fill("1")
    _click(checked, "button", words("Continue"))
    page.get_by_label(words("Full name"), exact=True).fill("Sarah Morgan")
    page.get_by_label(words("Your address")).fill("1 Park Row\nLeeds")
    page.get_by_label(words("Postcode")).fill("LS1 3AD")
    _click(checked, "button", words("Continue"))
    assert page.title().startswith(words("Check your order before paying"))
    _click(checked, "button", words("Continue to payment"))
    page.get_by_label(words("Card number")).fill("4444333322221111")
    page.get_by_label(words("Name on card")).fill("S Morgan")
    page.get_by_role("button", name=words("Pay"), exact=True).click()
    page.get_by_role("heading", name=words("Your certificate is ready")).wait_for(timeout=30_000)
    checked.check()
    certificate = Certificate.objects.get()
    page = checked.goto("/verify/")
    page.get_by_label(words("Serial number")).fill(certificate.serial)
    _click(checked, "button", words("Check certificate"))
    assert page.get_by_role("heading", name=words("This certificate is valid")).is_visible()
    assert "Sarah Meredyth Morgan" in page.content() and "Rhys Pritchard" in page.content()


def _record_given(checked, staff, proposal):
    staff_sign_in(checked, staff)
    page = checked.goto(f"/staff/marriages/interview/case/{proposal.reference}/")
    for position in (1, 2):
        page.locator(f"input[name=notice{position}-outcome][value=given]").check()
        page.locator(f"#notice{position}-submit").click()
        checked.check()
        assert "The outcome of the interview is recorded." in page.content()


def test_a_marriage_from_notice_to_certificate(checked_page, browser, tmp_path):
    english = lambda text: text  # noqa: E731
    sarah = verified_person(email="sarah@example.com")
    rhys = verified_person(email="rhys@example.com")
    proposal = make_proposal(notices="sent", people=(sarah, rhys))
    district = proposal.district
    notice_room = Room.objects.get(venue__office=district, venue__kind="register_office", name="Notice room")
    ensure_patterns(
        notice_room, kind="notice_video", days=range(0, 5), opens=time(9), closes=time(17), duration=30, gap=15
    )
    first_day = timezone.localdate() + datetime.timedelta(days=3)

    # Sarah, in Welsh: books her interview in person.
    sarah_page = checked_page()
    sign_in(sarah_page, sarah.email)
    page = _click(sarah_page, "link", "Cymraeg")
    assert page.locator("html").get_attribute("lang") == "cy"
    _book_interview(sarah_page, proposal, welsh, way="in-person", first_day=first_day)

    # Rhys, without JavaScript: by video.
    rhys_page = checked_page(javascript=False)
    mirrors = [axe_without_javascript(rhys_page, browser)]
    try:
        sign_in(rhys_page, rhys.email)
        _book_interview(rhys_page, proposal, english, way="video", first_day=first_day)
        notices = {notice.position: notice for notice in proposal.notices.select_related("interview")}
        assert notices[1].interview_mode == Notice.InterviewMode.IN_PERSON
        assert notices[2].interview_mode == Notice.InterviewMode.VIDEO
        interview_day = max(n.interview.starts_at.astimezone(UK).date() for n in notices.values())

        # The interview day: the registrar records both notices given; the notice is displayed.
        staff = checked_page()
        with time_machine.travel(_at(interview_day, 17), tick=True):
            _record_given(staff, registrar_of(district), proposal)
            assert set(proposal.notices.values_list("status", flat=True)) == {"given"}

            objector = checked_page(javascript=False)
            mirrors.append(axe_without_javascript(objector, browser))
            page = objector.goto("/notices/")
            page.get_by_label("Registration district").select_option(district.code)
            _click(objector, "button", "Show notices")
            assert "Rhys Pritchard" in page.locator("table").inner_text()
            _click(objector, "link", "See notice or object – Rhys Pritchard")
            page.get_by_label("Your full name").fill("Pat Objector")
            page.get_by_label("Email address").fill("pat@example.com")
            page.get_by_label("Why should this marriage or civil partnership not take place?").fill(
                "I believe Rhys is already married."
            )
            _click(objector, "button", "Send objection")
            objection = Objection.objects.get()
            assert objection.status == "open"

        # The next day the superintendent registrar dismisses the objection.
        with time_machine.travel(_at(interview_day + datetime.timedelta(days=1), 11), tick=True):
            staff_sign_in(staff, superintendent(district, full_name="Gwen Super"))
            page = staff.goto(f"/staff/marriages/objections/{objection.reference}/")
            page.get_by_label("Dismiss the objection").check()
            page.get_by_label("Reason for your decision").fill("Rhys's divorce is final: we have seen the order.")
            _click(staff, "button", "Record decision")
            objection.refresh_from_db()
            assert objection.status == "dismissed"

        # After the 28 days the daily task issues the authority.
        proposal.refresh_from_db()
        waiting_ends = rules.waiting_ends(proposal)
        with time_machine.travel(_at(waiting_ends, 6), tick=True):
            issue_due_authorities()
            proposal.refresh_from_db()
            assert proposal.schedule.reference

        # The ceremony day: the registrar records it and registers.
        day = schedule_selectors.ceremony_date(proposal)
        with time_machine.travel(_at(day, 15), tick=True):
            staff_sign_in(staff, registrar_of(district))
            page = staff.goto(f"/staff/marriages/schedule/{proposal.reference}/ceremony/")
            page.get_by_label("I have confirmed who both parties are").check()
            for name, value in (
                ("officiant_1_name", "Gwen Super"),
                ("officiant_1_role", "Superintendent registrar"),
                ("officiant_2_name", "Rhian Registrar"),
                ("officiant_2_role", "Registrar"),
                ("witness_1_name", "Alun Witness"),
                ("witness_2_name", "Bethan Witness"),
            ):
                page.locator(f"#id_{name}").fill(value)
            fill_date(page, "ceremony_date", day)
            fill_date(page, "witness_1_date_of_birth", datetime.date(1980, 1, 1))
            fill_date(page, "witness_2_date_of_birth", datetime.date(1985, 2, 2))
            page.get_by_label("The schedule was signed by both parties, both witnesses and the officiants").check()
            _click(staff, "button", "Register")
            entry = RegisterEntry.objects.get()
            assert entry.entry_reference in page.content()
            assert Proposal.objects.get(pk=proposal.pk).schedule.entry == entry

            # The couple's page, in Welsh: registered, with the certificate to order.
            _sign_in_again(sarah_page, sarah.email, welsh)
            page = sarah_page.goto(f"/marry/proposal/{proposal.reference}/")
            assert page.locator("html").get_attribute("lang") == "cy"
            assert entry.entry_reference in page.content()
            assert page.get_by_role("heading", name="Eich atodlen").is_visible()  # "Your schedule"
            assert page.get_by_role("heading", name=welsh("What to do next")).count() == 0  # nothing stale
            _order_and_verify(sarah_page, welsh, tmp_path)
    finally:
        for mirror in mirrors:
            mirror.close()
