"""Actions answered in place: adding to a shortlist from the ranking and a company's move on a
card change what they act on and tell it there, and the page stays where the user was."""

import pytest
from playwright.sync_api import expect

from matching import services
from matching.models import Entry
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 800), (768, 1024)]


def _scroll_y(page) -> float:
    return page.evaluate("window.scrollY")


def _top(locator) -> float:
    """Where `locator` is on the screen: the same after an action when the page kept its place
    (the browser may scroll to keep it there when something above it grows)."""
    return locator.evaluate("element => element.getBoundingClientRect().top")


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_ranking_adds_to_the_shortlist_in_place_with_its_action_in_view(
    page, log_in, staff, centre, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    need = NeedFactory()
    candidates = CandidateFactory.create_batch(18, centre=centre, consent_share_profile=True)
    log_in(staff)
    page.goto(f"/matching/needs/{need.pk}/")
    rows = page.get_by_test_id("ranking-row")
    expect(rows).to_have_count(len(candidates))

    row = rows.nth(12)
    row.scroll_into_view_if_needed()
    add = row.get_by_test_id("add-to-shortlist")
    # The shortlist column stays at the table's right edge: the button is on screen without
    # scrolling the table sideways, at both widths.
    expect(add).to_be_in_viewport(ratio=1)
    assert _scroll_y(page) > 0  # the row is down the page: keeping the place means something
    before = _top(row)

    row.get_by_placeholder("Nota").fill("Disponibile da subito")
    add.click()

    said = row.get_by_test_id("shortlist-said")
    expect(said).to_contain_text("ora è nella rosa")
    expect(said).to_be_focused()
    expect(row.get_by_test_id("on-shortlist")).to_be_visible()
    expect(page.get_by_test_id("shortlist-link")).to_contain_text("(1)")
    assert _top(row) == pytest.approx(before, abs=2)  # where it was, not back at the top
    entry = Entry.objects.get(shortlist__need=need)
    assert entry.candidate_id == int(row.get_attribute("data-candidate"))
    assert entry.note == "Disponibile da subito"


def test_a_refused_add_says_why_in_the_row_and_keeps_the_note(page, log_in, staff, centre):
    need = NeedFactory()
    candidates = CandidateFactory.create_batch(2, centre=centre, consent_share_profile=True)
    log_in(staff)
    page.goto(f"/matching/needs/{need.pk}/")
    row = page.locator(f"[data-testid='ranking-row'][data-candidate='{candidates[0].pk}']")
    expect(row.get_by_test_id("add-to-shortlist")).to_be_visible()
    # Meanwhile a colleague puts the same person on the shortlist.
    services.shortlist_add(need=need, candidate=candidates[0], actor=staff)

    row.get_by_placeholder("Nota").fill("Seconda scelta")
    row.get_by_test_id("add-to-shortlist").click()

    said = row.get_by_test_id("shortlist-said")
    expect(said).to_contain_text("è già in questa rosa")
    expect(said).to_have_attribute("role", "alert")
    expect(page.get_by_test_id("shortlist-link")).to_contain_text("(1)")
    assert Entry.objects.filter(shortlist__need=need).count() == 1


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_a_company_asks_for_an_interview_from_a_card_and_stays_where_it_was(
    page, log_in, staff, company_hr, centre, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    need = NeedFactory(company=company_hr.organisation.company)
    for candidate in CandidateFactory.create_batch(7, centre=centre, consent_share_profile=True):
        services.shortlist_add(need=need, candidate=candidate, actor=staff)
    shortlist = need.shortlist
    services.shortlist_share(shortlist=shortlist, actor=staff, portal_url="http://testserver/")
    log_in(company_hr)
    page.goto(f"/matching/shortlists/{shortlist.pk}/cards/")
    cards = page.get_by_test_id("card")
    expect(cards).to_have_count(7)

    card = cards.nth(5)
    code = card.get_attribute("data-code")
    card = page.locator(f"[data-testid='card'][data-code='{code}']")
    ask = card.get_by_test_id("move-interview_requested")
    ask.scroll_into_view_if_needed()
    assert _scroll_y(page) > 0
    before = _top(card)
    ask.click()

    expect(card).to_have_attribute("data-status", "interview_requested")
    said = card.get_by_test_id("card-said")
    expect(said).to_contain_text(f"{code}: Colloquio richiesto")
    expect(said).to_be_in_viewport()
    expect(said).to_be_focused()
    assert _top(card) == pytest.approx(before, abs=2)
    assert Entry.objects.get(code=code).status == Entry.Status.INTERVIEW_REQUESTED
