"""The dashboard's course figures: courses by status with their seats, how the enrolments
ended and why, the hires after a course, who moved from near-ready to ready; each linked
to the list it counts, within what each role may see."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from matching.models import PipelineEvent
from reports.figures import Period, pathway_figures
from tests.reports.course_data import (
    EXPECTED_CENTRE_OUTCOMES,
    EXPECTED_COURSES,
    EXPECTED_MOVED,
    EXPECTED_OUTCOMES,
    EXPECTED_REASONS,
    add_analyses,
    add_courses,
)
from tests.reports.support_data import add_support
from training.models import Course, Enrolment


@pytest.fixture
def programme(programme, staff, company):
    programme.actions = add_support(programme, staff=staff)
    programme.courses = add_courses(programme, staff=staff, company=company)
    add_analyses(programme)
    return programme


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"]


def _all(client, url: str) -> list:
    """Every row the list at `url` holds, over all its pages."""
    page = _page(client, url)
    rows = list(page.object_list)
    while page.has_next():
        page = _page(client, f"{url}&page={page.next_page_number()}")
        rows += list(page.object_list)
    return rows


def _by_status(courses) -> dict:
    return {row.status: (row.courses.value, row.seats, row.filled) for row in courses.statuses}


def _outcomes(courses) -> dict:
    return {
        "completed": courses.completed.value,
        "not_completed": courses.not_completed.value,
        "dropped": courses.dropped.value,
    }


@pytest.mark.django_db
def test_courses_by_status_with_seats_and_seats_filled_equal_the_database(admin, programme):
    courses = pathway_figures(admin).courses
    assert _by_status(courses) == EXPECTED_COURSES
    assert courses.total.courses.value == Course.objects.count() == 4
    assert courses.total.seats == sum(Course.objects.values_list("seats", flat=True)) == 25
    filled = Enrolment.objects.filter(status__in=["proposed", "enrolled", "completed"])
    assert courses.total.filled == filled.count() == 4


@pytest.mark.django_db
def test_every_course_figure_lists_the_courses_it_adds_up(login, admin, programme):
    client = login(admin)
    courses = pathway_figures(admin).courses
    for row in [*courses.statuses, courses.total]:
        listed = _all(client, row.url)
        assert len(listed) == row.courses.value, row.status
        assert sum(course.seats for course in listed) == row.seats, row.status
        assert sum(course.taken + course.completed for course in listed) == row.filled, row.status


@pytest.mark.django_db
def test_the_completion_rate_counts_the_finished_enrolments(admin, programme):
    courses = pathway_figures(admin).courses
    assert _outcomes(courses) == EXPECTED_OUTCOMES
    finished = Enrolment.objects.filter(status__in=["completed", "not_completed", "dropped"])
    assert courses.finished.value == finished.count() == 6
    assert courses.completion_rate == 33  # 2 of 6
    reasons = {figure.label: figure.value for figure in courses.drop_reasons}
    with translation.override("en"):
        labels = dict(Enrolment.DropReason.choices)
    assert reasons == {str(labels[code]): n for code, n in EXPECTED_REASONS.items()}
    assert Counter(finished.exclude(drop_reason="").values_list("drop_reason", flat=True)) == (
        Counter(EXPECTED_REASONS)
    )


@pytest.mark.django_db
def test_every_outcome_links_to_the_enrolments_it_counts(login, admin, programme):
    client = login(admin)
    courses = pathway_figures(admin).courses
    for figure in [
        courses.finished,
        courses.completed,
        courses.not_completed,
        courses.dropped,
        *courses.drop_reasons,
    ]:
        assert _page(client, figure.url).paginator.count == figure.value, figure.url
    dropped = _all(client, courses.drop_reasons[0].url)
    assert {enrolment.drop_reason for enrolment in dropped} == {dropped[0].drop_reason}


@pytest.mark.django_db
def test_hired_after_a_course_counts_anna_and_links_to_her(login, admin, programme):
    courses = pathway_figures(admin).courses
    assert courses.hired_after_course.value == 1
    listed = _all(login(admin), courses.hired_after_course.url)
    assert [candidate.pk for candidate in listed] == [programme.candidates["anna"].pk]


@pytest.mark.django_db
def test_a_course_completed_after_the_hire_does_not_count(login, admin, programme):
    anna = programme.candidates["anna"]
    three_weeks_ago = timezone.now() - datetime.timedelta(days=21)
    PipelineEvent.objects.filter(entry__candidate=anna, to_status="hired").update(
        at=three_weeks_ago
    )
    pathway = pathway_figures(admin)
    assert (pathway.courses.hired_after_course.value, pathway.hired) == (0, 1)
    assert _page(login(admin), pathway.courses.hired_after_course.url).paginator.count == 0


@pytest.mark.django_db
def test_moved_to_ready_compares_the_newest_analysis_with_the_earlier_ones(login, admin, programme):
    client = login(admin)
    moved = pathway_figures(admin, Period(campaign=programme.campaign)).courses.moved
    names = {pk: name for name, pk in ((n, c.pk) for n, c in programme.candidates.items())}
    by_profile = {}
    for figure in moved.profiles:
        listed = _all(client, figure.url)
        assert len(listed) == figure.value, figure.url
        by_profile[listed[0].profile.code] = {names[entry.candidate_id] for entry in listed}
    assert by_profile == EXPECTED_MOVED
    assert moved.total.value == 3  # Bruna, Carla (for two profiles), Omar
    listed = _all(client, moved.total.url)
    assert sorted(names[entry.candidate_id] for entry in listed) == ["bruna", "carla", "omar"]


@pytest.mark.django_db
def test_without_a_campaign_moved_to_ready_reads_the_analyses_of_all_campaigns(
    login, admin, programme
):
    moved = pathway_figures(admin).courses.moved
    assert moved.total.value == 1
    listed = _all(login(admin), moved.total.url)
    assert [entry.candidate_id for entry in listed] == [programme.candidates["anna"].pk]
    assert [figure.value for figure in moved.profiles] == [1]


@pytest.mark.django_db
def test_the_dashboard_shows_the_courses_in_italian(login, admin, programme):
    response = login(admin).get(reverse("reports:dashboard"), {"campaign": programme.campaign.pk})
    html, courses = response.text, response.context["pathway"].courses
    assert 'data-testid="pathway-courses"' in html
    for figure in [courses.finished, courses.dropped, *courses.drop_reasons]:
        assert f'href="{escape(figure.url)}"' in html
    for row in courses.statuses:  # every number that is not zero is the link to its list
        assert (f'href="{escape(row.url)}"' in html) == bool(row.courses.value), row.status
    for figure in [courses.moved.total, *courses.moved.profiles, courses.hired_after_course]:
        assert f'href="{escape(figure.url)}"' in html
    with translation.override("it"):
        assert escape(gettext("Training courses")) in html
        assert escape(gettext("Hired after a course")) in html
    assert "Tasso di completamento" in html
    assert "33%" in html
    assert "Non riusciva a raggiungerlo" in html  # Carla's reason for dropping out
    assert "2 completate su 6 iscrizioni concluse" in html
    assert "Da quasi pronti a pronti" in html


@pytest.mark.django_db
def test_a_caseworker_sees_the_outcomes_of_their_centre_and_nobody_moved(
    login, caseworker, programme
):
    client = login(caseworker)
    response = client.get(reverse("reports:dashboard"))
    courses = response.context["pathway"].courses
    assert _outcomes(courses) == EXPECTED_CENTRE_OUTCOMES
    assert _by_status(courses) == EXPECTED_COURSES  # the catalogue, as the course list shows it
    for row in courses.statuses:
        listed = _all(client, row.url)
        assert sum(course.taken + course.completed for course in listed) == row.filled
    for figure in [courses.finished, courses.completed, *courses.drop_reasons]:
        assert _page(client, figure.url).paginator.count == figure.value, figure.url
    assert courses.hired_after_course.value == 1
    assert courses.moved is None  # the gap analyses are the programme staff's
    assert reverse("training:gap_candidates") not in response.text


@pytest.mark.django_db
def test_the_other_centres_caseworker_sees_omars_course_only(login, other_caseworker, programme):
    courses = login(other_caseworker).get(reverse("reports:dashboard")).context["pathway"].courses
    assert _outcomes(courses) == {"completed": 1, "not_completed": 0, "dropped": 0}
    assert courses.hired_after_course.value == 0


@pytest.mark.django_db
def test_company_hr_see_no_course_figures(login, company_hr, programme):
    response = login(company_hr).get(reverse("reports:dashboard"))
    assert 'data-testid="pathway-courses"' not in response.text
    assert reverse("training:enrolment_list") not in response.text


@pytest.mark.django_db
def test_the_period_restricts_the_outcomes_by_the_day_the_enrolment_was_proposed(
    login, admin, programme
):
    last_year = timezone.now() - datetime.timedelta(days=400)
    Enrolment.objects.filter(candidate=programme.candidates["carla"]).update(created_at=last_year)
    start = timezone.localdate() - datetime.timedelta(days=30)
    client = login(admin)
    response = client.get(reverse("reports:dashboard"), {"date_from": start.isoformat()})
    courses = response.context["pathway"].courses
    assert courses.dropped.value == 1  # Fatima's; Carla's enrolment was proposed before
    assert _page(client, courses.dropped.url).paginator.count == 1
    assert _by_status(courses) == EXPECTED_COURSES  # the catalogue is not dated


@pytest.mark.django_db
def test_the_candidate_list_offers_the_hired_after_a_course(login, staff, programme):
    html = login(staff).get(reverse("candidates:list")).text
    assert 'value="hired_after_course"' in html
    assert "Assunto dopo un corso" in html
