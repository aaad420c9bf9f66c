import re

import pytest
from playwright.sync_api import expect

from tests.browser.menu import open_entry
from tests.browser.pickers import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_registers_a_candidate_corrects_one_mistake_and_finds_them(
    page, log_in, caseworker
):
    log_in(caseworker)
    open_entry(page, "candidates:list")
    page.locator("a[href$='/candidates/new/']").click()
    expect(page).to_have_url(re.compile(r"/candidates/new/$"))

    form = page.get_by_test_id("candidate-form")
    form.locator("[name=first_name]").fill("Fatima")
    form.locator("[name=last_name]").fill("Benali")
    form.locator("[name=sex]").select_option("F")
    form.locator("[name=birth_date]").fill("1991-07-23")
    choose(page, "id_birth_country", "maroc", "Marocco")
    choose(page, "id_nationality", "maroc", "Marocco")
    form.locator("[name=codice_fiscale]").fill("BNLFTM91L63Z330X")  # one character wrong
    choose(page, "id_residence_comune", "bergamo", "Bergamo (BG)")
    form.locator("[name=address]").fill("Via Borgo Palazzo 40")
    form.locator("[name=phone]").fill("+39 351 7654321")
    form.locator("[name=italian_level]").select_option("A2")
    choose(page, "id_languages-0-language", "arab", "Arabo")
    form.locator("[name=languages-0-level]").select_option("native")
    form.locator("[name=consent_programme]").check()
    form.locator("[name=consent_matching]").check()
    page.locator("button[name=action][value=register]").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    # What was typed is still there: only the codice fiscale needs a correction.
    expect(form.locator("[name=address]")).to_have_value("Via Borgo Palazzo 40")
    expect(form.locator("[name=languages-0-language]")).to_have_value("ar")
    expect(form.locator("[name=residence_comune]")).to_have_value(re.compile(r"^\d+$"))
    expect(form.locator("[name=languages-0-level]")).to_have_value("native")
    expect(form.locator("[name=consent_matching]")).to_be_checked()
    cf = form.locator("[name=codice_fiscale]")
    expect(cf).to_have_class(re.compile(r"(^|\s)is-invalid(\s|$)"))
    cf.fill("")
    page.locator("button[name=action][value=register]").click()

    expect(page.get_by_test_id("status")).to_have_text("Registrato")
    expect(page.get_by_test_id("languages")).to_have_text("Arabo madrelingua")
    open_entry(page, "candidates:list")
    page.get_by_label("Nome").fill("Benali")
    page.get_by_role("button", name="Filtra").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Benali(&|$)"))
    rows = page.get_by_test_id("candidates").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Benali Fatima")
