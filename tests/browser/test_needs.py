import re

import pytest
from playwright.sync_api import expect

from catalog.models import Comune, JobProfile
from tests.browser.menu import open_entry
from tests.factories import SurveyCampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_company_hr_adds_two_needs_to_the_open_campaign_and_sees_them_listed(
    page, log_in, company_hr
):
    campaign = SurveyCampaignFactory(name="Rilevazione fabbisogni 2026", status="open")
    assembly = JobProfile.objects.get(code="addetto-assemblaggio")
    welding = JobProfile.objects.get(code="addetto-saldatura")
    bergamo = Comune.objects.get(istat_code="016024")
    dalmine = Comune.objects.get(istat_code="016091")

    log_in(company_hr)
    open_entry(page, "companies:campaign_list")
    page.get_by_role("link", name=campaign.name).click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/$"))
    page.locator(f"a[href$='/campaigns/{campaign.pk}/answer/']").click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/answer/$"))

    forms = page.get_by_test_id("need-form")
    expect(forms).to_have_count(2)
    first, second = forms.nth(0), forms.nth(1)
    first.locator("select[name$='-profile']").select_option(str(assembly.pk))
    first.locator("input[name$='-headcount']").fill("4")
    first.locator("select[name$='-workplace']").select_option(str(bergamo.pk))
    first.locator("select[name$='-contract']").select_option("fixed_term")
    second.locator("select[name$='-profile']").select_option(str(welding.pk))
    second.locator("input[name$='-headcount']").fill("2")
    second.locator("select[name$='-workplace']").select_option(str(dalmine.pk))
    second.locator("select[name$='-contract']").select_option("permanent")
    second.locator("input[name$='-nights']").check()
    page.locator("form[data-formset] button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/$"))
    rows = page.get_by_test_id("campaign-needs").locator("tbody tr")
    expect(rows).to_have_count(2)
    listed = rows.filter(has_text=assembly.name_it).filter(has_text="Bergamo").filter(has_text="4")
    expect(listed).to_have_count(1)
    expect(rows.filter(has_text=welding.name_it).filter(has_text="Dalmine")).to_have_count(1)
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_third_need_can_be_added_without_reloading(page, log_in, company_hr):
    campaign = SurveyCampaignFactory(status="open")
    log_in(company_hr)
    page.goto(f"/companies/campaigns/{campaign.pk}/answer/")
    forms = page.get_by_test_id("need-form")
    expect(forms).to_have_count(2)
    page.locator("[data-formset-add]").click()
    expect(forms).to_have_count(3)
    expect(page.locator("input[name='needs-TOTAL_FORMS']")).to_have_value("3")
    expect(page.locator("select[name='needs-2-profile']")).to_have_count(1)
