"""The navbar's search from the keyboard alone, and what its results page tells the pages it
opens: the portal's origin, never the address that holds what was typed."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_search_typed_in_the_navbar_finds_the_person_and_opens_their_page_from_the_keyboard(
    page, log_in, live_server, staff, centre
):
    candidate = CandidateFactory(centre=centre, first_name="Anna", last_name="Müller")
    log_in(staff)
    toggle = page.get_by_role("button", name="Cerca nel portale")
    for _ in range(60):  # as a keyboard user reaches it, from the top of the page
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "navbar-search-toggle":
            break
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    box = page.get_by_role("searchbox", name="Cerca nel portale")
    expect(box).to_be_visible()
    page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.type("muller")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=muller$"))
    found = page.get_by_test_id("group-candidates").get_by_role("link", name="Müller Anna")
    expect(found).to_be_visible()
    found.focus()
    with page.expect_request(re.compile(rf"/candidates/{candidate.pk}/$")) as opened:
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anna Müller")
    assert opened.value.headers.get("referer") == f"{live_server.url}/"


def test_the_results_page_still_logs_out(page, log_in, staff):
    log_in(staff)
    page.goto("/search/?q=rossi")
    page.get_by_test_id("user-menu").click()
    page.locator("form[data-logout] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
