import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import Comune
from interviews.services import ObstacleInput, assessment_record
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, TrancheFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DALMINE, SARNICO = "016091", "016193"  # 28 km apart; the no-car limit is 10 km


def test_no_car_at_assessment_then_a_shuttle_done_by_the_caseworker_lifts_the_candidate(
    page, log_in, recruiter, caseworker, staff, centre
):
    dalmine, sarnico = (Comune.objects.get(istat_code=code) for code in (DALMINE, SARNICO))
    need = NeedFactory(workplace=sarnico, start_date=timezone.localdate())
    tranche = TrancheFactory()
    # Two people alike, in Dalmine without a car, both assessed B: the twin ranks first on a
    # tie (created first); a way to Sarnico is what will tell them apart.
    twin = CandidateFactory(centre=centre, residence_comune=dalmine, own_car=False)
    assessment_record(
        interview=InterviewFactory(tranche=tranche, candidate=twin, recruiter=recruiter),
        actor=recruiter,
        employability="B",
        obstacles=[ObstacleInput("transport", 3)],
    )
    candidate = CandidateFactory(
        centre=centre,
        caseworker=caseworker,
        residence_comune=dalmine,
        own_car=False,
        first_name="Amina",
        last_name="Diallo",
    )
    interview = InterviewFactory(
        tranche=tranche,
        candidate=candidate,
        recruiter=recruiter,
        scheduled_at=timezone.now() + datetime.timedelta(hours=1),
    )

    # The recruiter records "no car" at the assessment.
    log_in(recruiter)
    page.goto(interview.get_absolute_url())
    page.get_by_test_id("assess").click()
    form = page.get_by_test_id("assessment-form")
    expect(form).to_be_visible()
    form.locator("input[name=employability][value=B]").check()
    form.locator("select[name=obstacle_transport]").select_option("3")
    form.locator("input[name=obstacle_transport_note]").fill("Nessun autobus per Sarnico")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("assessment-summary")).to_be_visible()
    page.context.clear_cookies()

    # Staff rank the need: Amina second, 28 km without a car.
    log_in(staff)
    page.goto(f"/matching/needs/{need.pk}/")
    row = page.locator(f"[data-testid='ranking-row'][data-candidate='{candidate.pk}']")
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row).to_contain_text("senza auto")
    page.context.clear_cookies()

    # The caseworker proposes a company shuttle to Sarnico and takes it to done.
    log_in(caseworker)
    page.goto(candidate.get_absolute_url())
    page.get_by_test_id("propose-action").click()
    action_form = page.get_by_test_id("support-action-form")
    expect(action_form).to_be_visible()
    action_form.locator("select[name=kind]").select_option("company_shuttle")
    action_form.get_by_label("Trasporti / senza auto").check()
    action_form.locator("select[name=destination]").select_option(label="Sarnico (BG)")
    action_form.get_by_role("button", name="Proponi").click()
    status = page.get_by_test_id("status")
    expect(status).to_have_text("Proposta")
    page.get_by_test_id("move-agreed").click()
    expect(status).to_have_text("Concordata")
    page.get_by_test_id("move-in_progress").click()
    expect(status).to_have_text("In corso")
    page.locator("#outcome-done").fill("Navetta delle 5:30 da Dalmine")
    page.get_by_test_id("move-done").click()
    expect(status).to_have_text("Svolta")
    expect(page.get_by_test_id("outcome")).to_have_text("Navetta delle 5:30 da Dalmine")
    page.context.clear_cookies()

    # Staff rank the need again: Amina is first, and the gap is gone.
    log_in(staff)
    page.goto(f"/matching/needs/{need.pk}/")
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(row).not_to_contain_text("senza auto")
