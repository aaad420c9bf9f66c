"""Reaching an entry of the main menu as a user does: a long menu gathers its entries under
dropdowns, which open first."""


def open_entry(page, url_name: str) -> None:
    link = page.get_by_test_id("main-nav").locator(f"[data-nav='{url_name}']")
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a").click()
    link.click()
