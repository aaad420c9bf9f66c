import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.menu import open_entry
from tests.factories import CandidateFactory, InterviewFactory, TrancheFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_records_an_assessment_and_the_tranche_dashboard_shows_it(
    page, log_in, recruiter, staff, centre
):
    tranche = TrancheFactory(name="Prima tranche", target=46)
    candidate = CandidateFactory(centre=centre, first_name="Oksana", last_name="Kovalenko")
    interview = InterviewFactory(
        tranche=tranche,
        candidate=candidate,
        recruiter=recruiter,
        scheduled_at=timezone.now() + datetime.timedelta(hours=2),
    )
    interview_page = re.compile(re.escape(interview.get_absolute_url()) + "$")

    log_in(recruiter)
    open_entry(page, "interviews:agenda")
    page.get_by_test_id("agenda").get_by_text("Oksana Kovalenko").click()
    expect(page).to_have_url(interview_page)
    page.get_by_test_id("assess").click()
    form = page.get_by_test_id("assessment-form")
    expect(form).to_be_visible()
    form.locator("input[name=employability][value=B]").check()
    form.locator("select[name=obstacle_transport]").select_option("3")
    form.locator("input[name=obstacle_transport_note]").fill("Vive a 20 km, nessun autobus")
    form.locator("select[name=obstacle_care]").select_option("2")
    form.locator("select[name=verified_italian_level]").select_option("B1")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("assessment-summary")).to_be_visible()
    expect(page).to_have_url(interview_page)
    page.context.clear_cookies()  # the recruiter's session ends; staff log in afresh

    log_in(staff)
    open_entry(page, "interviews:tranche_list")
    rows = page.get_by_test_id(f"classes-{tranche.pk}").locator("tbody tr")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("1")  # class B
    expect(rows.nth(1).get_by_test_id("percent")).to_have_text("100%")
    obstacles = page.get_by_test_id(f"obstacles-{tranche.pk}").locator("tbody tr")
    expect(obstacles).to_have_count(2)
