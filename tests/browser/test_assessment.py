import datetime

import pytest
from django.utils import timezone

from tests.browser.menu import open_entry
from tests.factories import PASSWORD, CandidateFactory, InterviewFactory, TrancheFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/")


def test_recruiter_records_an_assessment_and_the_tranche_dashboard_shows_it(
    page, recruiter, staff, centre
):
    tranche = TrancheFactory(name="Prima tranche", target=46)
    candidate = CandidateFactory(centre=centre, first_name="Oksana", last_name="Kovalenko")
    InterviewFactory(
        tranche=tranche,
        candidate=candidate,
        recruiter=recruiter,
        scheduled_at=timezone.now() + datetime.timedelta(hours=2),
    )

    _login(page, recruiter)
    open_entry(page, "interviews:agenda")
    page.get_by_test_id("agenda").get_by_text("Oksana Kovalenko").click()
    page.get_by_test_id("assess").click()
    form = page.get_by_test_id("assessment-form")
    form.locator("input[name=employability][value=B]").check()
    form.locator("select[name=obstacle_transport]").select_option("3")
    form.locator("input[name=obstacle_transport_note]").fill("Vive a 20 km, nessun autobus")
    form.locator("select[name=obstacle_care]").select_option("2")
    form.locator("select[name=verified_italian_level]").select_option("B1")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=assessment-summary]")
    page.context.clear_cookies()  # the recruiter's session ends; staff log in afresh

    _login(page, staff)
    open_entry(page, "interviews:tranche_list")
    classes = page.get_by_test_id(f"classes-{tranche.pk}")
    rows = classes.locator("tbody tr")
    assert rows.nth(1).locator("td").nth(0).inner_text() == "1"  # class B
    assert rows.nth(1).get_by_test_id("percent").inner_text() == "100%"
    obstacles = page.get_by_test_id(f"obstacles-{tranche.pk}").locator("tbody tr")
    assert obstacles.count() == 2
