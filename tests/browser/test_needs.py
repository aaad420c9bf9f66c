import pytest

from catalog.models import Comune, JobProfile
from tests.browser.menu import open_entry
from tests.factories import PASSWORD, SurveyCampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_company_hr_adds_two_needs_to_the_open_campaign_and_sees_them_listed(page, company_hr):
    campaign = SurveyCampaignFactory(name="Rilevazione fabbisogni 2026", status="open")
    assembly = JobProfile.objects.get(code="addetto-assemblaggio")
    welding = JobProfile.objects.get(code="addetto-saldatura")
    bergamo = Comune.objects.get(istat_code="016024")
    dalmine = Comune.objects.get(istat_code="016091")

    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(company_hr.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    open_entry(page, "companies:campaign_list")
    page.get_by_role("link", name=campaign.name).click()
    page.locator(f"a[href$='/campaigns/{campaign.pk}/answer/']").click()

    first, second = page.get_by_test_id("need-form").nth(0), page.get_by_test_id("need-form").nth(1)
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

    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    rows = page.get_by_test_id("campaign-needs").locator("tbody tr")
    assert rows.count() == 2
    listed = rows.all_inner_texts()
    assert any(assembly.name_it in row and "Bergamo" in row and "4" in row for row in listed)
    assert any(welding.name_it in row and "Dalmine" in row for row in listed)
    assert page.locator(".alert-success").is_visible()


def test_a_third_need_can_be_added_without_reloading(page, company_hr):
    campaign = SurveyCampaignFactory(status="open")
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(company_hr.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.goto(f"/companies/campaigns/{campaign.pk}/answer/")
    assert page.get_by_test_id("need-form").count() == 2
    page.locator("[data-formset-add]").click()
    assert page.get_by_test_id("need-form").count() == 3
    assert page.locator("input[name='needs-TOTAL_FORMS']").input_value() == "3"
    assert page.locator("select[name='needs-2-profile']").count() == 1
