import pytest

from tests.browser.menu import open_entry
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role finds in the menu besides Home, as the data-nav attributes of its links.
NAVIGATION = {
    "admin": {
        "reports:dashboard",
        "companies:demand",
        "companies:list",
        "companies:campaign_list",
        "companies:need_list",
        "interviews:tranche_list",
        "candidates:list",
        "catalog:profile_list",
        "accounts:user_list",
        "accounts:organisation_list",
        "matching:shortlist_list",
        "matching:weights",
        "reports:export_log",
    },
    "staff": {
        "reports:dashboard",
        "companies:demand",
        "companies:list",
        "companies:campaign_list",
        "companies:need_list",
        "interviews:tranche_list",
        "candidates:list",
        "catalog:profile_list",
        "matching:shortlist_list",
        "matching:weights",
    },
    "recruiter": {"interviews:agenda", "candidates:list"},
    "caseworker": {"reports:dashboard", "candidates:list"},
    "company_hr": {
        "reports:dashboard",
        "companies:mine",
        "companies:campaign_list",
        "companies:need_list",
        "matching:shortlist_list",
    },
}
ROLE_LABELS = {
    "admin": "Amministratore",
    "staff": "Referente matching",
    "recruiter": "Selezionatore",
    "caseworker": "Operatore sociale",
    "company_hr": "HR aziendale",
}


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_logs_in_and_sees_its_own_navigation_and_home(page, personas, role):
    user = personas[role]
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "it"  # an English browser, still Italian
    page.get_by_label("Nome utente").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()

    page.wait_for_url("**/")
    nav = page.get_by_test_id("main-nav")
    shown = set(nav.locator("[data-nav]").evaluate_all("links => links.map(l => l.dataset.nav)"))
    assert shown == NAVIGATION[role]
    assert ROLE_LABELS[role] in page.get_by_test_id("home-role").inner_text()
    assert page.get_by_test_id("home-figures").locator(".card").count() >= 1

    for url_name in NAVIGATION[role]:
        open_entry(page, url_name)
        assert page.locator("main h1").count() == 1
        assert page.get_by_test_id("error-code").count() == 0, url_name
        page.go_back()


def test_the_menu_folds_on_a_tablet_in_portrait(page, personas):
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/")
    companies = page.get_by_test_id("main-nav").locator("[data-nav='companies:list']")
    assert not companies.is_visible()
    page.get_by_role("button", name="Apri il menu").click()
    open_entry(page, "companies:list")
    page.wait_for_url("**/companies/")


def test_switching_to_english_keeps_the_user_on_the_same_page(page, personas):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log in").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize(("role", "entries"), [("admin", 5), ("staff", 5), ("company_hr", 4)])
def test_a_long_menu_fits_a_tablet_and_a_laptop(page, personas, role, entries, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(personas[role].username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Home, the dashboard, and the other entries gathered under dropdowns.
    top = page.get_by_test_id("main-nav").locator(":scope > li")
    assert top.count() == entries
    for url_name in NAVIGATION[role]:
        open_entry(page, url_name)
        assert page.get_by_test_id("error-code").count() == 0, url_name
