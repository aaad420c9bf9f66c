import openpyxl
import pytest

from tests.browser.menu import open_entry
from tests.factories import PASSWORD
from tests.reports.programme_data import EXPECTED, build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_follows_a_figure_to_its_list_and_downloads_the_workbook(
    page, admin, staff, company, other_company, centre, other_centre, tmp_path
):
    build_programme(
        company=company,
        other_company=other_company,
        centre=centre,
        other_centre=other_centre,
        staff=staff,
    )
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    open_entry(page, "reports:dashboard")

    interviewed = page.get_by_test_id("funnel").locator("[data-figure='interviewed']")
    assert interviewed.locator(".fw-semibold").inner_text() == str(EXPECTED["interviewed"])
    interviewed.get_by_role("link").click()
    page.wait_for_url("**/candidates/?*stage=interviewed*")
    assert page.get_by_test_id("candidates").locator("tbody tr").count() == EXPECTED["interviewed"]
    assert page.get_by_text(f"{EXPECTED['interviewed']} candidati").is_visible()

    page.go_back()
    page.get_by_test_id("download-workbook").click()
    page.wait_for_url("**/export/**")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-form").locator("button[type=submit]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    workbook = openpyxl.load_workbook(target)
    assert len(workbook.sheetnames) >= 1
