"""The portal from the keyboard alone: what has the focus is always in sight."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the focused element is against the window and the form's bar of buttons.
FOCUS_PLACE = """async () => {
  // Once the page has drawn the move of the focus (two frames), as the person sees it.
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  const focused = document.activeElement.getBoundingClientRect();
  const bar = document.querySelector(".sticky-bottom").getBoundingClientRect();
  return {name: document.activeElement.name || document.activeElement.id,
          top: focused.top, bottom: focused.bottom, barTop: bar.top,
          inBar: document.activeElement.closest(".sticky-bottom") !== null};
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (768, 1024)])
def test_no_field_of_the_intake_form_is_hidden_under_its_bar_of_buttons(
    page, log_in, caseworker, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    log_in(caseworker)
    page.goto(reverse("candidates:create"))
    form = page.get_by_test_id("candidate-form")
    form.locator("[name=first_name]").focus()
    expect(form.locator("[name=first_name]")).to_be_focused()

    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        place = page.evaluate(FOCUS_PLACE)
        if place["inBar"]:
            break  # the bar's own buttons: the end of the form
        if place["bottom"] > place["barTop"] or place["top"] < 0:
            hidden.append(place["name"])
    assert hidden == []
