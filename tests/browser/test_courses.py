"""Staff turn the plan into a course: propose the near-ready candidates it suggests, run
the course, record attendance, complete it, and find the plan updated."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidates.models import Experience
from catalog.models import Certification, JobProfile
from companies.models import NeedCertification
from tests.factories import CandidateFactory, NeedFactory, SurveyCampaignFactory
from training.models import Course
from training.services import course_save, course_session_add, gap_analysis_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enrol_near_ready_candidates_complete_the_course_and_the_plan_updates(
    page, log_in, staff
):
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    profile = JobProfile.objects.get(code="carrellista")
    campaign = SurveyCampaignFactory(status="open")
    need = NeedFactory(campaign=campaign, profile=profile, headcount=2)
    NeedCertification.objects.create(need=need, certification=forklift, mandatory=True)
    drivers = []
    for first_name in ("Amina", "Bogdan"):
        # Drove forklifts for years, has a car and good Italian: only the licence is missing.
        driver = CandidateFactory(
            first_name=first_name, own_car=True, italian_level="B2", employability="A"
        )
        Experience.objects.create(candidate=driver, profile=profile, years=4)
        drivers.append(driver)
    course = course_save(
        course=Course(title="Carrellisti in sicurezza", seats=6),
        actor=staff,
        profiles=[profile],
        certifications=[forklift],
    )
    course_session_add(
        course=course,
        date=timezone.localdate(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(13),
    )
    gap_analysis_request(campaign=campaign, actor=staff)  # computed when it commits

    log_in(staff)
    page.goto(f"/training/plan/?campaign={campaign.pk}")
    line = page.get_by_test_id("plan-line")
    expect(line).to_have_count(1)
    expect(line.get_by_test_id("lifted")).to_have_text("2")
    line.get_by_test_id("plan-course").click()

    expect(page.get_by_role("heading", name="Carrellisti in sicurezza")).to_be_visible()
    for driver in drivers:
        page.get_by_test_id(f"propose-{driver.pk}").click()
        expect(page.get_by_test_id("enrolments")).to_contain_text(driver.first_name)
    enrolments = page.get_by_test_id("enrolment")
    expect(enrolments).to_have_count(2)
    for _ in drivers:
        page.get_by_test_id("confirm").first.click()
        expect(page.locator("[data-testid=enrolment][data-status=enrolled]")).not_to_have_count(0)
    expect(page.locator("[data-testid=enrolment][data-status=enrolled]")).to_have_count(2)
    status = page.get_by_test_id("status")
    page.get_by_test_id("move-open").click()
    expect(status).to_have_text("Iscrizioni aperte")
    page.get_by_test_id("move-running").click()
    expect(status).to_have_text("In corso")

    page.get_by_test_id("attendance").click()
    form = page.get_by_test_id("attendance-form")
    for driver in drivers:
        form.get_by_label(str(driver)).check()
    page.get_by_test_id("save-attendance").click()
    expect(page.get_by_test_id("session")).to_contain_text("2")
    page.get_by_test_id("move-completed").click()
    expect(status).to_have_text("Concluso")
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text(
        "Corso concluso: 2 candidati"
    )
    expect(page.locator("[data-testid=enrolment][data-status=completed]")).to_have_count(2)

    page.goto(f"/training/plan/?campaign={campaign.pk}")
    expect(page.get_by_test_id("plan-line")).to_have_count(0)
    expect(page.get_by_test_id("plan")).to_contain_text("Nessuno è a una sola lacuna")
    page.goto(f"/training/gap/?campaign={campaign.pk}")
    expect(page.get_by_test_id("ready")).to_have_text("2")
