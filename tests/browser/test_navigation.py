import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.menu import open_entry
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role finds in the menu besides Home, as the data-nav attributes of its links.
NAVIGATION = {
    "admin": {
        "appointments:calendar",
        "reports:dashboard",
        "companies:demand",
        "companies:list",
        "companies:campaign_list",
        "companies:need_list",
        "interviews:tranche_list",
        "candidates:list",
        "candidates:duplicate_list",
        "catalog:profile_list",
        "accounts:user_list",
        "accounts:organisation_list",
        "matching:shortlist_list",
        "matching:weights",
        "reports:export_log",
        "audit:event_list",
        "training:action_list",
        "training:course_list",
        "training:gap",
        "training:follow_up_list",
        "notifications:due",
    },
    "staff": {
        "appointments:calendar",
        "reports:dashboard",
        "companies:demand",
        "companies:list",
        "companies:campaign_list",
        "companies:need_list",
        "interviews:tranche_list",
        "candidates:list",
        "candidates:duplicate_list",
        "catalog:profile_list",
        "matching:shortlist_list",
        "matching:weights",
        "training:action_list",
        "training:course_list",
        "training:gap",
        "training:follow_up_list",
        "notifications:due",
    },
    "recruiter": {
        "appointments:calendar",
        "interviews:agenda",
        "candidates:list",
        "training:action_list",
        "training:course_list",
    },
    "caseworker": {
        "appointments:calendar",
        "reports:dashboard",
        "candidates:list",
        "training:action_list",
        "training:course_list",
        "training:follow_up_list",
    },
    "company_hr": {
        "appointments:calendar",
        "reports:dashboard",
        "companies:mine",
        "companies:campaign_list",
        "companies:need_list",
        "matching:shortlist_list",
        "training:course_list",
        "documents:shared",
    },
}
ROLE_LABELS = {
    "admin": "Amministratore",
    "staff": "Referente matching",
    "recruiter": "Selezionatore",
    "caseworker": "Operatore sociale",
    "company_hr": "HR aziendale",
}


def test_the_login_form_refuses_a_wrong_password_in_italian_then_lets_the_right_one_in(
    page, live_server, staff
):
    """The one test that logs in through the form; the others hand the browser a session.
    Staff log in in two steps: the password, then the code of the app they set up before."""
    app = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Nome utente").fill(staff.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Accedi").click()

    expect(page.locator(".alert-danger")).to_have_text(
        "Inserisci nome utente e password corretti. "
        "In entrambi i campi le maiuscole potrebbero essere significative."
    )
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_label("Nome utente")).to_have_value(staff.username)  # kept
    expect(page.get_by_label("Password")).to_have_value("")  # never sent back
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()

    expect(page).to_have_url(re.compile(r"/accounts/second-factor/\?next=%2F$"))
    expect(page.get_by_test_id("main-nav")).to_have_count(0)  # nothing opens before the code
    page.get_by_label("Codice").fill(f"{totp(app.bin_key):06d}")
    page.get_by_role("button", name="Continua").click()

    expect(page.get_by_test_id("home-role")).to_contain_text(ROLE_LABELS["staff"])
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".alert-danger")).to_have_count(0)


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_sees_its_own_navigation_and_home_and_every_entry_opens_a_page(
    page, log_in, personas, role
):
    # The login page, before anyone logs in: an English browser, still Italian.
    page.goto("/")
    expect(page.get_by_label("Nome utente")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    log_in(personas[role])
    home = page.url

    expect(page.locator("html")).to_have_attribute("lang", "it")
    nav = page.get_by_test_id("main-nav")
    links = nav.locator("[data-nav]")
    expect(links).to_have_count(len(NAVIGATION[role]))
    shown = set(links.evaluate_all("links => links.map(l => l.dataset.nav)"))
    assert shown == NAVIGATION[role]
    expect(page.get_by_test_id("home-role")).to_contain_text(ROLE_LABELS[role])
    expect(page.get_by_test_id("home-panels").locator(".card").first).to_be_visible()

    for url_name in NAVIGATION[role]:
        open_entry(page, url_name)
        expect(page.locator("main h1"), url_name).to_have_count(1)
        expect(page.get_by_test_id("error-code"), url_name).to_have_count(0)
        page.go_back()
        expect(page).to_have_url(home)
        expect(page.get_by_test_id("home-role")).to_be_visible()


def test_the_menu_folds_on_a_tablet_in_portrait(page, log_in, staff):
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(staff)
    companies = page.get_by_test_id("main-nav").locator("[data-nav='companies:list']")
    expect(companies).to_be_hidden()
    toggler = page.get_by_role("button", name="Apri il menu")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    # Bootstrap's animation over: the menu is open, no longer opening.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    open_entry(page, "companies:list")
    expect(page).to_have_url(re.compile(r"/companies/$"))


def test_switching_to_english_keeps_the_user_on_the_same_page(page):
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Accedi")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def _settles_without_sideways_scroll(page, timeout: float = 5) -> None:
    """Wait until the page is no wider than the window. Read from the test's side (the
    portal's Content-Security-Policy forbids the page-side polling `wait_for_function` does
    with an expression), every tenth of a second until `timeout`."""
    deadline = time.monotonic() + timeout
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    while widths[0] > widths[1]:
        assert time.monotonic() < deadline, f"the page is {widths[0]}px wide in {widths[1]}px"
        page.wait_for_timeout(100)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize(("role", "entries"), [("admin", 5), ("staff", 5), ("company_hr", 4)])
def test_a_long_menu_fits_a_tablet_and_a_laptop(page, log_in, personas, role, entries, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(personas[role])
    # Home, the dashboard, and the other entries gathered under dropdowns.
    top = page.get_by_test_id("main-nav").locator(":scope > li")
    expect(top).to_have_count(entries)
    # Nothing sticks out sideways once the page has settled (its fonts and bars drawn); a
    # page that keeps overflowing fails here after the timeout.
    _settles_without_sideways_scroll(page)
    for url_name in NAVIGATION[role]:
        open_entry(page, url_name)
        expect(page.get_by_test_id("error-code"), url_name).to_have_count(0)
