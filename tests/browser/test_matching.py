import pytest

from matching.models import Entry
from tests.browser.menu import open_entry
from tests.factories import PASSWORD, CandidateFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/")


def _log_out(page):
    page.context.clear_cookies()


def test_staff_share_a_shortlist_and_company_hr_ask_to_meet_a_pseudonymous_candidate(
    page, staff, company_hr, centre
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

    _log_in(page, staff)
    page.goto(f"/matching/needs/{need.pk}/")
    for candidate in candidates:
        row = page.locator(f"[data-testid='ranking-row'][data-candidate='{candidate.pk}']")
        row.get_by_test_id("add-to-shortlist").click()
        page.wait_for_load_state()
        assert row.get_by_test_id("on-shortlist").is_visible()
    page.locator(f"a[href$='/matching/shortlists/{need.shortlist.pk}/']").first.click()
    page.get_by_test_id("share-button").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").is_visible()
    _log_out(page)

    _log_in(page, company_hr)
    open_entry(page, "matching:shortlist_list")
    page.get_by_test_id("shortlist").get_by_role("link").first.click()
    page.wait_for_url(f"**/matching/shortlists/{need.shortlist.pk}/cards/")
    cards = page.get_by_test_id("card")
    assert cards.count() == 2
    text = page.locator("main").inner_text()
    for candidate in candidates:
        assert candidate.first_name not in text
        assert candidate.last_name not in text

    first = cards.first
    code = first.get_attribute("data-code")
    proposed = first.get_by_test_id("card-status").inner_text()
    first.get_by_test_id("move-interview_requested").click()
    page.wait_for_load_state()
    card = page.locator(f"[data-testid='card'][data-code='{code}']")
    assert card.get_attribute("data-status") == "interview_requested"
    assert card.get_by_test_id("card-status").inner_text() not in {"", proposed}
    assert card.locator("[data-move]").count() == 0  # staff must agree the interview first
    assert Entry.objects.get(code=code).status == Entry.Status.INTERVIEW_REQUESTED
