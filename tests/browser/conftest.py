"""Headless Chromium (Debian's package) driven by Playwright against the live server."""

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these Chromium keeps calling home, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long a step may take: an action, a navigation and an `expect` alike (Playwright's
# `expect` would otherwise give up after 5 s while the actions it follows wait 15 s).
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing: `make check-browser` installs it (apt-get install chromium)."
        )
    # Playwright's synchronous API keeps an event loop in this thread for the whole session;
    # the ORM calls the tests make between two browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(autouse=True)
def _reference_data_after_flush(reference_data):
    """Live-server tests empty the database after each test: load the catalogue again."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def log_in(page, live_server, login):
    """`log_in(user)` opens the home page as `user`, without the login form: the session is
    made on the server, as a login makes it (past the second factor, as the `login` fixture
    does), and its cookie handed to the browser.

    To change user in the middle of a test, `page.context.clear_cookies()` first.
    Only the test of the login form itself types a password.
    """

    def _log_in(user):
        client = login(user, client=Client())
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page.goto("/")
        expect(page.get_by_test_id("home-role")).to_be_visible()

    return _log_in
