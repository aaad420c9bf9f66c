"""Each employability class is drawn in one colour on every page that draws it, the one the
workbook's charts and cells take (interviews.models.CLASS_TONES, focus.figures.TONES): the
dashboard's bar, the home page's cards and a tranche's figures."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from focus.figures import TONES
from interviews.models import CLASS_TONES, EmployabilityClass
from tests.browser.menu import open_entry
from tests.browser.test_dashboard import _colours, _rgb
from tests.reports.programme_data import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_the_home_cards_and_a_tranche_colour_each_class_the_same(
    page, log_in, admin, staff, company, other_company, centre, other_centre
):
    programme = build_programme(
        company=company,
        other_company=other_company,
        centre=centre,
        other_centre=other_centre,
        staff=staff,
    )
    workbook = [_rgb(TONES[CLASS_TONES[cls]].background) for cls in EmployabilityClass]
    log_in(admin)
    cards = page.locator("[data-testid='home-figures'] .figure-card[data-tone]")
    expect(cards).to_have_count(len(EmployabilityClass))
    assert _colours(cards, "borderLeftColor") == workbook

    open_entry(page, "reports:dashboard")
    dashboard = page.locator(".progress-stacked .progress-bar")
    expect(dashboard).to_have_count(len(EmployabilityClass))
    assert _colours(dashboard, "backgroundColor") == workbook

    page.goto(reverse("interviews:tranche_detail", args=[programme.tranche.pk]))
    tranche = page.get_by_test_id(f"classes-{programme.tranche.pk}").locator(".progress-bar")
    expect(tranche).to_have_count(len(EmployabilityClass))
    assert _colours(tranche, "backgroundColor") == workbook
