import re

import pytest
from playwright.sync_api import expect

from matching.models import Entry
from tests.browser.menu import open_entry
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_share_a_shortlist_and_company_hr_ask_to_meet_a_pseudonymous_candidate(
    page, log_in, staff, company_hr, centre
):
    need = NeedFactory(company=company_hr.organisation.company)
    candidates = [
        CandidateFactory(
            centre=centre,
            first_name=first,
            last_name=last,
            consent_share_profile=True,
        )
        for first, last in [("Zenobia", "Quartararo"), ("Ottavina", "Brembilla")]
    ]

    log_in(staff)
    page.goto(f"/matching/needs/{need.pk}/")
    for candidate in candidates:
        row = page.locator(f"[data-testid='ranking-row'][data-candidate='{candidate.pk}']")
        row.get_by_test_id("add-to-shortlist").click()
        expect(row.get_by_test_id("on-shortlist")).to_be_visible()
    shortlist = need.shortlist  # made by the first "Add", which the page has shown
    shortlist_page = re.compile(rf"/matching/shortlists/{shortlist.pk}/$")
    page.locator(f"a[href$='/matching/shortlists/{shortlist.pk}/']").first.click()
    expect(page).to_have_url(shortlist_page)
    page.get_by_test_id("share-button").click()
    expect(page.locator(".alert-success")).to_contain_text("Rosa condivisa: ora")
    expect(page).to_have_url(shortlist_page)
    page.context.clear_cookies()  # staff log out; the company's HR log in

    log_in(company_hr)
    open_entry(page, "matching:shortlist_list")
    page.get_by_test_id("shortlist").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/matching/shortlists/{shortlist.pk}/cards/$"))
    cards = page.get_by_test_id("card")
    expect(cards).to_have_count(2)
    main = page.locator("main")
    for candidate in candidates:
        expect(main).not_to_contain_text(candidate.first_name)
        expect(main).not_to_contain_text(candidate.last_name)

    # The cards are shown: what the first one says can be read before acting on it.
    expect(cards.first).to_have_attribute("data-status", "proposed")
    code = cards.first.get_attribute("data-code")
    card = page.locator(f"[data-testid='card'][data-code='{code}']")
    status = card.get_by_test_id("card-status")
    proposed = status.inner_text()
    card.get_by_test_id("move-interview_requested").click()

    expect(card).to_have_attribute("data-status", "interview_requested")
    expect(status).not_to_have_text(proposed)
    expect(status).to_have_text("Colloquio richiesto")
    expect(card.locator("[data-move]")).to_have_count(0)  # staff must agree the interview first
    assert Entry.objects.get(code=code).status == Entry.Status.INTERVIEW_REQUESTED
