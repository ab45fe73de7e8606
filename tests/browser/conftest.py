"""Headless Chromium (the OS package, never a downloaded browser) and an axe-core check that
every visited page has zero violations and no Content Security Policy errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs the OS package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class CheckedPage:
    """A page whose every visit is checked by axe and for CSP errors, and photographed."""

    def __init__(self, page, base_url: str, name: str, javascript: bool = True) -> None:
        self.page = page
        # With JavaScript off axe cannot run in the page; the same pages are axe-checked with it on.
        self.run_axe = javascript
        self.base_url = base_url
        self.name = name
        self.console_errors: list[str] = []
        self.visits = 0
        page.on(
            "console", lambda message: self.console_errors.append(message.text) if message.type == "error" else None
        )

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.check()

    def check(self):
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        self.visits += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{self.visits}-{self.page.title()}".lower()).strip("-")[:90]
        try:
            self.page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"), full_page=True)
        except PlaywrightError:
            # Chromium cannot capture a page while it is still being replaced (a search posted
            # and redirected to its results): wait for the new page, then capture it.
            self.page.wait_for_load_state("networkidle")
            self.page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"), full_page=True)
        if self.run_axe:
            results = Axe().run(self.page)
            assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        csp = [error for error in self.console_errors if "Content Security Policy" in error]
        assert csp == [], csp
        # The GOV.UK error summary, never the browser's own validation; no number inputs.
        forms = self.page.evaluate(
            "Array.from(document.forms)"
            ".filter(f => !f.noValidate && f.querySelector('input:not([type=hidden]), textarea, select'))"
            ".map(f => f.action)"
        )
        assert forms == [], f"{self.page.url}: forms without novalidate {forms}"
        assert self.page.locator("input[type=number]").count() == 0, f"{self.page.url}: an input of type number"
        return self.page


@pytest.fixture(autouse=True)
def _outbox(settings):
    """Journeys read sign-in and consent codes from the development outbox, as a person trying
    the service locally does."""
    settings.DEV_OUTBOX_ENABLED = True


@pytest.fixture
def checked_page(browser, live_server, request):
    def make(javascript: bool = True, width: int | None = None) -> CheckedPage:
        # `width`: a narrow viewport (a phone is 320 CSS pixels wide) for the reflow checks.
        viewport = {"width": width, "height": 800} if width else None
        context = browser.new_context(java_script_enabled=javascript, **({"viewport": viewport} if viewport else {}))
        request.addfinalizer(context.close)
        name = request.node.name + ("" if javascript else "-nojs")
        context.set_default_timeout(15_000)
        return CheckedPage(context.new_page(), live_server.url, name, javascript=javascript)

    return make


@pytest.fixture
def camera_page(browser, live_server, request):
    """`camera_page(video)`: a checked page in a Chromium of its own whose camera (allowed
    without asking) films `video`, a .y4m file."""

    def make(video: Path) -> CheckedPage:
        fake_camera = [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
        chromium = browser.browser_type.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_camera], headless=True
        )
        request.addfinalizer(chromium.close)
        context = chromium.new_context(permissions=["camera"])
        context.set_default_timeout(15_000)
        return CheckedPage(context.new_page(), live_server.url, request.node.name)

    return make
