"""A caseworker learns of their candidate's hire: the company records it, and the next page
the caseworker opens shows the count under the bell and the notification in the list."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("recorder", ["company_hr", "staff"])
def test_a_caseworker_sees_the_hire_of_their_candidate(
    page, log_in, personas, centre, caseworker, company, recorder
):
    staff, hr = personas["staff"], personas["company_hr"]
    person = CandidateFactory(
        centre=centre,
        caseworker=caseworker,
        first_name="Fatima",
        last_name="Benali",
        consent_share_profile=True,
    )
    entry = shortlist_add(need=NeedFactory(company=company), candidate=person, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=hr)
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
    entry_move(
        entry=entry,
        to=Entry.Status.HIRED,
        actor=personas[recorder],
        contract="fixed_term",
        start_date=timezone.localdate(),
    )

    log_in(caseworker)
    bell = page.get_by_test_id("notifications-bell")
    # Shortlisted, interview agreed, hired: each told once.
    expect(bell).to_have_attribute("aria-label", "Notifiche, 3 non lette")
    expect(bell.get_by_test_id("unread-count")).to_have_text("3")
    bell.click()

    expect(page).to_have_url(re.compile(r"/notifications/$"))
    hired = page.locator('[data-testid="notification"][data-kind="hired"]')
    expect(hired).to_have_count(1)
    expect(hired).to_contain_text("Assunzione: Fatima Benali presso Meccanica Orobica S.p.A.")
    hired.get_by_role("link").click()

    expect(page).to_have_url(re.compile(rf"/candidates/{person.pk}/$"))
    expect(page.get_by_test_id("notifications-bell")).to_have_attribute(
        "aria-label", "Notifiche, 2 non lette"
    )
