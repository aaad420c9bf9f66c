"""The candidate's page shows their support actions to those who follow the candidate."""

import datetime

import pytest

from interviews.services import ObstacleInput
from tests.arrange import recorded_assessment
from training.models import SupportAction
from training.services import support_action_move, support_action_propose


@pytest.fixture
def finished_shuttle(candidate, caseworker, recruiter):
    assessment = recorded_assessment(candidate, recruiter, ObstacleInput("transport", 3))
    action = support_action_propose(
        candidate=candidate,
        kind=SupportAction.Kind.COMPANY_SHUTTLE,
        actor=caseworker,
        obstacles=assessment.obstacles.all(),
        note="Navetta da Treviglio",
    )
    for step in ("agreed", "in_progress"):
        action = support_action_move(action=action, to=step, actor=caseworker)
    return support_action_move(
        action=action,
        to="done",
        actor=caseworker,
        outcome="Usa la navetta delle 5:30",
        on=datetime.date(2027, 3, 1),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "staff", "recruiter"])
def test_the_candidate_page_shows_the_actions_and_the_obstacle_they_resolved(
    login, personas, candidate, finished_shuttle, role
):
    html = login(personas[role]).get(candidate.get_absolute_url()).text
    assert 'data-testid="support-actions"' in html
    assert "Navetta aziendale" in html
    assert 'data-status="done"' in html
    assert "Usa la navetta delle 5:30" in html
    assert "risolto il 01/03/2027" in html


@pytest.mark.django_db
def test_another_centres_caseworker_cannot_open_the_page(
    login, other_caseworker, candidate, finished_shuttle
):
    response = login(other_caseworker).get(candidate.get_absolute_url())
    assert response.status_code == 404
    assert "Navetta" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 4])
def test_the_panel_runs_four_queries_however_many_actions(
    login, caseworker, candidate, finished_shuttle, django_assert_num_queries, more
):
    for _ in range(more):
        support_action_propose(candidate=candidate, kind="housing", actor=caseworker)
    client = login(caseworker)
    client.get(candidate.get_absolute_url())  # warm the session
    # session, user, candidate, experiences, skills, certifications, consents, status changes,
    # travel arrangements, interviews, their assessments with obstacles, suitable profiles and
    # recommendations; then the support actions and the obstacles they address, the course
    # enrolments with their course, the courses still enrolling to propose them for; the
    # documents, the languages, and the audit trail's "view" event (one insert)
    with django_assert_num_queries(21):
        client.get(candidate.get_absolute_url())
