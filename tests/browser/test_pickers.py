"""The searchable pickers as a person uses them: type, choose, see the chosen item, save."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Comune
from tests.factories import CandidateFactory, TrancheFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_candidate_by_typing_and_schedule_the_interview(
    page, log_in, staff, recruiter, centre
):
    tranche = TrancheFactory(name="Tranche di prova")
    person = CandidateFactory(first_name="Amina", last_name="Rossetti", centre=centre)
    CandidateFactory(first_name="Bruno", last_name="Verdi", centre=centre)

    log_in(staff)
    page.goto(tranche.get_absolute_url())
    picker = page.locator("#id_candidates-ts-control")
    picker.fill("rosse")
    option = page.locator(".ts-dropdown .option", has_text="Amina Rossetti")
    expect(option).to_be_visible()
    expect(page.locator(".ts-dropdown .option", has_text="Verdi")).to_have_count(0)
    option.click()
    chosen = page.locator(".ts-control .item", has_text="Amina Rossetti")
    expect(chosen).to_be_visible()
    expect(chosen.get_by_title("Rimuovi")).to_be_visible()

    # On to the recruiter from the keyboard, as a keyboard-only user would: type, Enter.
    recruiter_box = page.locator(".ts-wrapper", has=page.locator("#id_recruiter-ts-control"))
    page.locator("#id_recruiter-ts-control").fill(recruiter.last_name)
    page.locator("#id_recruiter-ts-control").press("Enter")
    expect(recruiter_box.locator(".item", has_text=recruiter.get_full_name())).to_be_visible()
    page.get_by_label("Data e ora del primo colloquio").fill("2026-12-10T09:00")
    page.get_by_role("button", name="Programma i colloqui").click()

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("table tbody tr", has_text=str(person))).to_have_count(1)


def test_a_caseworker_filters_the_candidates_by_a_comune_found_by_typing(
    page, log_in, caseworker, centre
):
    treviglio = Comune.objects.get(istat_code="016219")
    CandidateFactory(
        first_name="Sara", last_name="Bianchi", centre=centre, residence_comune=treviglio
    )
    CandidateFactory(first_name="Anna", last_name="Rossi", centre=centre)  # of Bergamo

    log_in(caseworker)
    page.goto(reverse("candidates:list"))
    page.get_by_role("button", name="Altri filtri").click()
    page.locator("#id_comune-ts-control").fill("trevig")
    option = page.locator(".ts-dropdown .option", has_text="Treviglio (BG)")
    expect(option).to_be_visible()
    option.click()
    page.get_by_role("button", name="Filtra").click()

    expect(page.locator("table tbody tr", has_text="Bianchi Sara")).to_have_count(1)
    expect(page.locator("table tbody tr", has_text="Rossi Anna")).to_have_count(0)
