import re

import openpyxl
import pytest
from playwright.sync_api import expect

from focus.figures import TONES
from interviews.models import CLASS_TONES, EmployabilityClass
from tests.browser.menu import open_entry
from tests.reports.programme_data import EXPECTED, build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_follows_a_figure_to_its_list_and_downloads_the_workbook(
    page, log_in, admin, staff, company, other_company, centre, other_centre, tmp_path
):
    build_programme(
        company=company,
        other_company=other_company,
        centre=centre,
        other_centre=other_centre,
        staff=staff,
    )
    log_in(admin)
    dashboard = open_entry(page, "reports:dashboard")

    interviewed = page.get_by_test_id("funnel").locator("[data-figure='interviewed']")
    expect(interviewed.locator(".fw-semibold")).to_have_text(str(EXPECTED["interviewed"]))
    interviewed.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/candidates/\?(.*&)?stage=interviewed(&|$)"))
    rows = page.get_by_test_id("candidates").locator("tbody tr")
    expect(rows).to_have_count(EXPECTED["interviewed"])
    expect(page.get_by_text(f"{EXPECTED['interviewed']} candidati")).to_be_visible()

    page.go_back()
    expect(page).to_have_url(dashboard)
    page.get_by_test_id("download-workbook").click()
    expect(page).to_have_url(re.compile(r"/export/"))
    submit = page.get_by_test_id("export-form").locator("button[type=submit]")
    expect(submit).to_be_visible()
    submit.click()  # the worker writes it (here as the request commits); its page offers it
    expect(page).to_have_url(re.compile(r"/export/\d+/$"))
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    workbook = openpyxl.load_workbook(target)
    assert len(workbook.sheetnames) >= 1


def _rgb(hex_colour: str) -> str:
    """`hex_colour` as the browser's computed style writes it."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


def _colours(locator, prop: str) -> list[str]:
    return locator.evaluate_all(f"bars => bars.map(bar => getComputedStyle(bar).{prop})")


def test_the_workbooks_colours_are_those_the_dashboard_shows(
    page, log_in, admin, staff, company, other_company, centre, other_centre
):
    """The workbook's charts and cells take their colours from focus.figures.TONES: those must
    be what the browser draws, Bootstrap's and the portal's stylesheet's together."""
    build_programme(
        company=company,
        other_company=other_company,
        centre=centre,
        other_centre=other_centre,
        staff=staff,
    )
    log_in(admin)
    open_entry(page, "reports:dashboard")
    classes = page.locator(".progress-stacked .progress-bar")
    expect(classes).to_have_count(len(CLASS_TONES))
    tones = [TONES[CLASS_TONES[cls]] for cls in EmployabilityClass]
    assert _colours(classes, "backgroundColor") == [_rgb(tone.background) for tone in tones]
    assert _colours(classes, "color") == [_rgb(tone.text) for tone in tones]
    profiles = page.locator("section[aria-labelledby='profiles-title']")
    for name in ("primary", "success"):  # people needed, suitable candidates
        bars = profiles.locator(f".progress-bar.bg-{name}")
        expect(bars.first).to_be_attached()
        assert set(_colours(bars, "backgroundColor")) == {_rgb(TONES[name].background)}, name
    obstacles = page.get_by_test_id("obstacles").locator(".progress-bar")
    expect(obstacles.first).to_be_attached()
    assert set(_colours(obstacles, "backgroundColor")) == {_rgb(TONES["warning"].background)}
