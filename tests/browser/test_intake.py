import pytest

from tests.browser.menu import open_entry
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_registers_a_candidate_corrects_one_mistake_and_finds_them(page, caseworker):
    page.goto("/accounts/login/")
    page.get_by_label("Nome utente").fill(caseworker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    open_entry(page, "candidates:list")
    page.locator("a[href$='/candidates/new/']").click()

    form = page.get_by_test_id("candidate-form")
    form.locator("[name=first_name]").fill("Fatima")
    form.locator("[name=last_name]").fill("Benali")
    form.locator("[name=sex]").select_option("F")
    form.locator("[name=birth_date]").fill("1991-07-23")
    form.locator("[name=birth_country]").select_option("MA")
    form.locator("[name=nationality]").select_option("MA")
    form.locator("[name=codice_fiscale]").fill("BNLFTM91L63Z330X")  # one character wrong
    form.locator("[name=residence_comune]").select_option(label="Bergamo (BG)")
    form.locator("[name=address]").fill("Via Borgo Palazzo 40")
    form.locator("[name=phone]").fill("+39 351 7654321")
    form.locator("[name=italian_level]").select_option("A2")
    form.locator("[name=other_languages]").fill("Arabo madrelingua, francese B1")
    form.locator("[name=consent_programme]").check()
    form.locator("[name=consent_matching]").check()
    page.locator("button[name=action][value=register]").click()

    assert page.get_by_test_id("form-errors").is_visible()
    # What was typed is still there: only the codice fiscale needs a correction.
    assert form.locator("[name=address]").input_value() == "Via Borgo Palazzo 40"
    assert form.locator("[name=other_languages]").input_value() == "Arabo madrelingua, francese B1"
    assert form.locator("[name=consent_matching]").is_checked()
    cf = form.locator("[name=codice_fiscale]")
    assert "is-invalid" in (cf.get_attribute("class") or "")
    cf.fill("")
    page.locator("button[name=action][value=register]").click()

    assert page.get_by_test_id("status").inner_text() == "Registrato"
    open_entry(page, "candidates:list")
    page.get_by_label("Nome").fill("Benali")
    page.get_by_role("button", name="Filtra").click()
    rows = page.get_by_test_id("candidates").locator("tbody tr")
    assert rows.count() == 1
    assert "Benali Fatima" in rows.first.inner_text()
