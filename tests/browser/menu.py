"""Reaching an entry of the main menu as a user does: a long menu gathers its entries under
dropdowns, which open first."""

import re

from playwright.sync_api import expect

# Entries whose address sends the browser on to another page: "My company" opens the page of
# the user's own company.
LANDS_ON = {"companies:mine": re.compile(r"/companies/\d+/$")}


def open_entry(page, url_name: str) -> str:
    """Open the menu entry `url_name`, wait until the browser shows the page it leads to and
    return that page's address.

    The caller has waited for the page it starts from (its address or what it shows), so the
    menu read here is that page's. Waiting for its `load` as well means that the stylesheet
    decides what is visible and that Bootstrap's script is there to open a dropdown.
    """
    nav = page.get_by_test_id("main-nav")
    expect(nav).to_be_visible()
    page.wait_for_load_state("load")
    link = nav.locator(f"[data-nav='{url_name}']")
    destination = LANDS_ON.get(url_name) or link.evaluate("link => link.href")
    # The menu does not change once its page has loaded: reading it here is safe.
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a").click()
    link.click()
    expect(page).to_have_url(destination)
    return page.url
