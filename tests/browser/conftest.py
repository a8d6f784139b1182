"""Fixtures for the browser tests: headless Chromium driving the live server.

Every test in tests/browser/ gets the `browser` marker (so `pytest -m "not browser"` leaves
them out) and runs against pytest-django's `live_server` with a transactional database.

- `browser_page`: a fresh Playwright page (its own context, so its own cookies) whose
  `page.base_url` is the live server's address. Use the suite's people fixtures
  (`leader`, `coordinator`, …; password `tests.factories.PASSWORD`) to have someone to
  log in as. Example::

      def test_something(browser_page, live_server, leader):
          page = login(browser_page, live_server, leader.username)
          page.get_by_role("link", name="Start a new audit").click()

- `login(page, live_server, username, password=PASSWORD)`: logs in through the login
  form by its visible labels and returns the page, on the home page.
- `login_by_keyboard(page, live_server, username)`: the same by the keyboard alone.
- `serious_violations(page)`: runs axe-core on the page and returns the serious and
  critical violations as a list of "rule-id: description (n nodes)" strings.
- `tab_to(page, predicate)`: presses Tab until `predicate(page)` is true (fails after
  200 presses): the keyboard-only way to reach a control.

Chromium is Debian's /usr/bin/chromium. Without it the tests skip with a reason, except
under CI (CI=true), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# beside it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI the browser tests must run.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, live_server, username: str, password: str = PASSWORD):
    """Logs in through the login form, by its visible labels; returns the page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def login_by_keyboard(page, live_server, username: str, password: str = PASSWORD):
    """Logs in with the keyboard alone: Tab to the username, type, Tab, type, Enter."""
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, lambda p: focused(p, "el.id") == "id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    # A click that follows a link returns once the navigation starts: scanning then
    # would read a document being replaced, so wait until the new one has loaded.
    page.wait_for_load_state("load")
    page.wait_for_function("document.readyState === 'complete' && document.body !== null")
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        f"{', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def tab_to(page, predicate, limit: int = 200):
    """Presses Tab until `predicate(page)` holds; fails if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(page):
            return page
    pytest.fail("Tabbing never reached the control.")


def focused(page, expression: str):
    """A JavaScript expression evaluated on document.activeElement, as `el`."""
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")
