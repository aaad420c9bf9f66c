"""Every main page of every role, and the Django admin, under the Content-Security-Policy:
the browser refuses nothing on them, and the bars the server draws still have their length."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import CandidateFactory, InterviewFactory
from tests.reports.programme_data import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium tells the page of each refusal with a `securitypolicyviolation` event: kept in
# `window` for the test to read, and counted on <html> for `expect` to wait on.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
  document.documentElement.dataset.cspViolations = String(window.cspViolations.length);
});
"""

# The main pages of each role, by the names of `addresses` below.
PAGES = {
    "admin": [
        "home",
        "dashboard",
        "demand",
        "companies",
        "candidates",
        "candidate",
        "needs",
        "ranking",
        "tranches",
        "tranche",
        "courses",
        "users",
        "django admin",
        "django admin change form",
    ],
    "staff": [
        "home",
        "dashboard",
        "demand",
        "companies",
        "candidates",
        "candidate",
        "needs",
        "ranking",
        "tranches",
        "tranche",
        "courses",
    ],
    "recruiter": ["home", "agenda", "candidates", "interviewed candidate", "courses"],
    "caseworker": ["home", "dashboard", "candidates", "candidate", "courses"],
    "company_hr": ["home", "dashboard", "company", "needs", "courses"],
}


@pytest.fixture
def csp_console(page):
    """The browser's console lines about the policy, and the events recorded in each page."""
    lines = []

    def keep(message):
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            lines.append(message.text)

    page.on("console", keep)
    page.add_init_script(RECORD_VIOLATIONS)
    return lines


@pytest.fixture
def addresses(personas, company, other_company, centre, other_centre):
    """A programme with figures on every page (see programme_data), and one candidate whom the
    recruiter persona interviews."""
    programme = build_programme(
        company=company,
        other_company=other_company,
        centre=centre,
        other_centre=other_centre,
        staff=personas["staff"],
    )
    interviewed = CandidateFactory(centre=centre, caseworker=personas["caseworker"])
    InterviewFactory(
        tranche=programme.tranche, candidate=interviewed, recruiter=personas["recruiter"]
    )
    candidate = programme.candidates["bruna"]
    return {
        "home": reverse("reports:home"),
        "dashboard": reverse("reports:dashboard"),
        "demand": reverse("companies:demand"),
        "companies": reverse("companies:list"),
        "company": reverse("companies:detail", args=[company.pk]),
        "candidates": reverse("candidates:list"),
        "candidate": reverse("candidates:detail", args=[candidate.pk]),
        "interviewed candidate": reverse("candidates:detail", args=[interviewed.pk]),
        "needs": reverse("companies:need_list"),
        "ranking": reverse("matching:need_rank", args=[programme.assembly_need.pk]),
        "agenda": reverse("interviews:agenda"),
        "tranches": reverse("interviews:tranche_list"),
        "tranche": reverse("interviews:tranche_detail", args=[programme.tranche.pk]),
        "courses": reverse("training:course_list"),
        "users": reverse("accounts:user_list"),
        "django admin": reverse("admin:index"),
        "django admin change form": reverse(
            "admin:candidates_candidate_change", args=[candidate.pk]
        ),
    }


@pytest.mark.parametrize("role", list(PAGES))
def test_no_main_page_of_a_role_breaks_the_content_security_policy(
    page, log_in, personas, csp_console, addresses, role
):
    log_in(personas[role])
    for name in PAGES[role]:
        csp_console.clear()
        response = page.goto(addresses[name])
        assert response.status == 200, name
        assert "style-src 'self'" in response.headers["content-security-policy"], name
        heading = "#content h1" if name.startswith("django admin") else "main h1"
        expect(page.locator(heading), name).to_be_visible()
        page.wait_for_load_state("load")  # stylesheets, fonts, scripts, data: images
        assert page.evaluate("window.cspViolations") == [], name
        assert csp_console == [], name


def test_the_bars_still_have_their_length_under_the_policy(page, log_in, staff, addresses):
    log_in(staff)
    page.goto(addresses["demand"])
    # By profile: 4 assembly workers (the longest bar) and 2 welders, drawn at half of it.
    half = page.get_by_test_id("demand-chart").first.locator("[data-width='50']")
    expect(half).to_have_count(1)
    expect(half).to_have_attribute("style", re.compile(r"width:\s*50%"))
    expect(half).to_have_css("width", re.compile(r"^[1-9][0-9.]*px$"))
    full = page.get_by_test_id("demand-chart").first.locator("[data-width='100']")
    expect(full).to_have_attribute("style", re.compile(r"width:\s*100%"))


def test_the_browser_reports_an_inline_style_the_policy_refuses(page, log_in, staff, csp_console):
    """The watch the other tests rely on: what the policy refuses is seen and counted."""
    log_in(staff)
    refused = "Content Security Policy"
    with page.expect_console_message(lambda message: refused in message.text):
        page.evaluate(
            "document.querySelector('main').insertAdjacentHTML("
            "'beforeend', '<p data-testid=\"inline\" style=\"width: 1px\">x</p>')"
        )
    expect(page.locator("html")).to_have_attribute("data-csp-violations", "1")
    expect(page.get_by_test_id("inline")).not_to_have_css("width", "1px")
    assert page.evaluate("window.cspViolations")[0].startswith("style-src")
    assert any(refused in line for line in csp_console)
