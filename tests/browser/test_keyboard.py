"""The portal from the keyboard alone: what has the focus is always in sight, and a whole
journey (log in, register, shortlist from the ranking) needs no mouse."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from matching.models import Entry
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    InterviewFactory,
    NeedFactory,
    SurveyCampaignFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the focused element is against the window and the form's bar of buttons.
FOCUS_PLACE = """async () => {
  // Where the focus is once the page has drawn its move and stopped scrolling (the same place
  // in two frames running), as the person sees it.
  const frame = () => new Promise(requestAnimationFrame);
  const measure = () => {
    const focused = document.activeElement.getBoundingClientRect();
    const bar = document.querySelector(".sticky-bottom").getBoundingClientRect();
    return {name: document.activeElement.name || document.activeElement.id,
            top: focused.top, bottom: focused.bottom, barTop: bar.top,
            inBar: document.activeElement.closest(".sticky-bottom") !== null};
  };
  await frame();
  let last = measure();
  for (let count = 0; count < 60; count++) {
    await frame();
    const now = measure();
    if (now.top === last.top && now.barTop === last.barTop) return now;
    last = now;
  }
  return last;
}"""


def _intake(request) -> tuple:
    return request.getfixturevalue("caseworker"), reverse("candidates:create")


def _assessment(request) -> tuple:
    recruiter = request.getfixturevalue("recruiter")
    interview = InterviewFactory(recruiter=recruiter)
    return recruiter, reverse("interviews:interview_assess", args=[interview.pk])


def _campaign_answer(request) -> tuple:
    company_hr = request.getfixturevalue("company_hr")
    campaign = SurveyCampaignFactory()
    return company_hr, reverse("companies:campaign_answer", args=[campaign.pk])


# The long forms, each with its bar of buttons stuck to the bottom of the window.
LONG_FORMS = {"intake": _intake, "assessment": _assessment, "campaign answer": _campaign_answer}
FIELDS = "input:not([type=hidden]):visible, select:visible, textarea:visible"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (768, 1024)])
@pytest.mark.parametrize("form_name", list(LONG_FORMS))
def test_no_field_of_a_long_form_is_hidden_under_its_bar_of_buttons(
    page, log_in, request, form_name, width, height
):
    user, url = LONG_FORMS[form_name](request)
    page.set_viewport_size({"width": width, "height": height})
    log_in(user)
    page.goto(url)
    first = page.locator("main form").filter(has=page.locator(".sticky-bottom")).locator(FIELDS)
    first.first.focus()
    expect(first.first).to_be_focused()

    hidden, seen = [], 0
    for _ in range(80):
        page.keyboard.press("Tab")
        place = page.evaluate(FOCUS_PLACE)
        if place["inBar"]:
            break  # the bar's own buttons: the end of the form
        seen += 1
        if place["bottom"] > place["barTop"] or place["top"] < 0:
            hidden.append(place["name"])
    assert seen > 5, f"the {form_name} form has only {seen} fields before its bar"
    assert hidden == []


def _tab_to(page, selector: str, *, most: int = 200) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user
    moves through a page."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reached with the keyboard")


def test_a_keyboard_user_logs_in_registers_a_draft_and_shortlists_from_the_ranking(
    page, log_in, caseworker, staff, centre
):
    page.goto(reverse("accounts:login"))
    _tab_to(page, "[name=username]")
    page.keyboard.type(caseworker.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("home-role")).to_be_visible()

    page.goto(reverse("candidates:create"))
    _tab_to(page, "[name=first_name]")
    page.keyboard.type("Amina")
    page.keyboard.press("Tab")
    page.keyboard.type("Rossetti")
    _tab_to(page, "#id_residence_comune-ts-control")
    page.keyboard.type("bergamo")
    expect(page.locator("#id_residence_comune-ts-dropdown .option.active")).to_have_text(
        "Bergamo (BG)"
    )
    page.keyboard.press("Enter")
    _tab_to(page, "button[value=draft]")
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Amina Rossetti")

    page.context.clear_cookies()
    need = NeedFactory()
    person = CandidateFactory(centre=centre, consent_share_profile=True)
    log_in(staff)
    page.goto(reverse("matching:need_rank", args=[need.pk]))
    row = page.locator(f"[data-testid='ranking-row'][data-candidate='{person.pk}']")
    _tab_to(page, f"#rank-{person.pk} [data-testid=add-to-shortlist]")
    page.keyboard.press("Enter")
    expect(row.get_by_test_id("on-shortlist")).to_be_visible()
    # Answered in place: the keyboard user is on the row's message, not back at the top.
    said = row.get_by_test_id("shortlist-said")
    expect(said).to_contain_text(f"{person.first_name} {person.last_name}")
    expect(said).to_be_focused()
    rank_url = reverse("matching:need_rank", args=[need.pk])
    expect(page).to_have_url(re.compile(re.escape(rank_url) + "$"))
    assert Entry.objects.filter(shortlist__need=need, candidate=person).exists()
