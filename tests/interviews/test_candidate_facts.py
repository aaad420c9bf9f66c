"""What a candidate carries from their assessments (class, open severe obstacle, verified
Italian level) stays what their assessments say, whichever path changed them: the portal's
services, the closing of a support action, or an edit or a delete in the admin site."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Assessment, Obstacle
from interviews.services import (
    ObstacleInput,
    assessment_record,
    candidate_facts,
    candidate_facts_refresh,
)
from tests.factories import CandidateFactory, InterviewFactory
from tests.posted import admin_change_url, admin_posted
from training.models import SupportAction
from training.services import support_action_move, support_action_propose, support_action_update

pytestmark = pytest.mark.django_db

FACTS = ("employability", "severe_obstacle", "italian_level_verified")

SEVERE = ObstacleInput(kind=Obstacle.Kind.TRANSPORT, severity=Obstacle.Severity.HIGH)


def _facts(candidate: Candidate) -> tuple:
    candidate.refresh_from_db()
    return tuple(getattr(candidate, name) for name in FACTS)


def _assess(candidate, recruiter, employability, *, days_ago=0, **given) -> Assessment:
    interview = InterviewFactory(
        candidate=candidate,
        recruiter=recruiter,
        scheduled_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return assessment_record(
        interview=interview, actor=recruiter, employability=employability, **given
    )


# The admin site


def test_an_admin_edit_of_an_assessment_updates_the_candidates_class_and_verified_level(
    login, admin, candidate, recruiter
):
    assessment = _assess(candidate, recruiter, "B", verified_italian_level="A2")
    client = login(admin)
    data = admin_posted(client.get(admin_change_url(assessment)))
    data.update({"employability": "A", "verified_italian_level": "B1"})

    assert client.post(admin_change_url(assessment), data).status_code == 302

    assessment.refresh_from_db()
    assert assessment.employability == "A"
    assert _facts(candidate) == ("A", False, "B1")


def test_a_severe_obstacle_resolved_or_added_in_the_admin_updates_the_candidate(
    login, admin, candidate, recruiter
):
    assessment = _assess(candidate, recruiter, "B", obstacles=[SEVERE])
    assert _facts(candidate) == ("B", True, "")
    client = login(admin)
    data = admin_posted(client.get(admin_change_url(assessment)))
    data["obstacles-0-resolved_on"] = "2026-01-15"

    assert client.post(admin_change_url(assessment), data).status_code == 302
    assert _facts(candidate) == ("B", False, "")

    data = admin_posted(client.get(admin_change_url(assessment)))
    data.update(
        {
            "obstacles-TOTAL_FORMS": "2",
            "obstacles-1-assessment": str(assessment.pk),
            "obstacles-1-kind": Obstacle.Kind.HOUSING,
            "obstacles-1-severity": str(Obstacle.Severity.HIGH),
        }
    )
    assert client.post(admin_change_url(assessment), data).status_code == 302
    assert assessment.obstacles.count() == 2
    assert _facts(candidate) == ("B", True, "")


def test_deleting_the_latest_assessment_in_the_admin_gives_back_the_earlier_class(
    login, admin, candidate, recruiter
):
    _assess(candidate, recruiter, "A", days_ago=30, verified_italian_level="B2")
    latest = _assess(candidate, recruiter, "C", obstacles=[SEVERE], verified_italian_level="A1")
    assert _facts(candidate) == ("C", True, "A1")
    client = login(admin)
    delete = reverse("admin:interviews_assessment_delete", args=[latest.pk])

    assert client.post(delete, {"post": "yes"}).status_code == 302

    assert not Assessment.objects.filter(pk=latest.pk).exists()
    assert _facts(candidate) == ("A", False, "B2")


def test_deleting_assessments_from_the_admin_list_leaves_their_candidates_unassessed(
    login, admin, candidate, other_candidate, recruiter
):
    first = _assess(candidate, recruiter, "B", obstacles=[SEVERE], verified_italian_level="A2")
    second = _assess(other_candidate, recruiter, "A")
    client = login(admin)

    response = client.post(
        reverse("admin:interviews_assessment_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert _facts(candidate) == ("", False, "")
    assert _facts(other_candidate) == ("", False, "")


def test_an_assessment_is_not_added_nor_moved_to_another_interview_in_the_admin(
    login, admin, candidate, other_candidate, recruiter
):
    assessment = _assess(candidate, recruiter, "B")
    elsewhere = InterviewFactory(candidate=other_candidate, recruiter=recruiter)
    client = login(admin)
    assert client.get(reverse("admin:interviews_assessment_add")).status_code == 403

    data = admin_posted(client.get(admin_change_url(assessment)))
    data["interview"] = str(elsewhere.pk)
    assert client.post(admin_change_url(assessment), data).status_code == 302

    assessment.refresh_from_db()
    assert assessment.interview.candidate == candidate
    assert _facts(other_candidate) == ("", False, "")


# Closing obstacles and certifying levels (training)


def test_a_done_support_action_closing_a_severe_obstacle_clears_it_from_the_candidate(
    candidate, recruiter, caseworker
):
    assessment = _assess(candidate, recruiter, "B", obstacles=[SEVERE])
    action = support_action_propose(
        candidate=candidate,
        kind=SupportAction.Kind.OTHER,
        actor=caseworker,
        obstacles=assessment.obstacles.all(),
    )
    for step in ("agreed", "in_progress"):
        action = support_action_move(action=action, to=step, actor=caseworker)
    assert _facts(candidate) == ("B", True, "")

    support_action_move(action=action, to="done", actor=caseworker, outcome="Abbonamento")

    assert _facts(candidate) == ("B", False, "")


def test_a_level_certified_after_the_assessment_survives_a_correction_of_it(
    login, admin, candidate, recruiter, caseworker
):
    assessment = _assess(candidate, recruiter, "B", verified_italian_level="A2")
    action = support_action_propose(
        candidate=candidate, kind=SupportAction.Kind.ITALIAN_COURSE, actor=caseworker
    )
    action = support_action_update(action=action, actor=caseworker, level_reached="B1")
    for step in ("agreed", "in_progress", "done"):
        action = support_action_move(action=action, to=step, actor=caseworker, outcome="CILS")
    assert _facts(candidate) == ("B", False, "B1")

    client = login(admin)
    data = admin_posted(client.get(admin_change_url(assessment)))
    data["employability"] = "A"
    assert client.post(admin_change_url(assessment), data).status_code == 302

    assert _facts(candidate) == ("A", False, "B1")
    # A later interview that verifies a lower level is the latest word on it.
    _assess(candidate, recruiter, "A", days_ago=-1, verified_italian_level="A2")
    assert _facts(candidate) == ("A", False, "A2")


# Consistency


def test_every_candidates_stored_facts_agree_with_their_recomputation(
    candidate, recruiter, caseworker
):
    never = CandidateFactory(centre=candidate.centre)
    once = CandidateFactory(centre=candidate.centre)
    _assess(once, recruiter, "C", obstacles=[SEVERE], verified_italian_level="A1")
    corrected = CandidateFactory(centre=candidate.centre)
    earlier = _assess(corrected, recruiter, "A", days_ago=60, verified_italian_level="B2")
    _assess(corrected, recruiter, "B", days_ago=10)
    # A correction of the earlier interview's assessment leaves the later one's class.
    assessment_record(
        interview=earlier.interview,
        actor=recruiter,
        employability="C",
        obstacles=[SEVERE],
        verified_italian_level="B1",
    )
    resolved = CandidateFactory(centre=candidate.centre)
    latest = _assess(resolved, recruiter, "B", obstacles=[SEVERE])
    action = support_action_propose(
        candidate=resolved,
        kind=SupportAction.Kind.OTHER,
        actor=caseworker,
        obstacles=latest.obstacles.all(),
    )
    for step in ("agreed", "in_progress", "done"):
        action = support_action_move(action=action, to=step, actor=caseworker, outcome="Fatto")

    stored = {c.pk: tuple(getattr(c, name) for name in FACTS) for c in Candidate.objects.all()}
    recomputed = {
        c.pk: tuple(candidate_facts(c)[name] for name in FACTS) for c in Candidate.objects.all()
    }
    assert stored == recomputed
    assert stored[never.pk] == ("", False, "")
    assert stored[once.pk] == ("C", True, "A1")
    assert stored[corrected.pk] == ("B", False, "B1")
    assert stored[resolved.pk] == ("B", False, "")
    assert all(candidate_facts_refresh(c) == [] for c in Candidate.objects.all())


def test_a_stale_candidate_is_put_right_by_the_refresh(candidate, recruiter):
    _assess(candidate, recruiter, "B", obstacles=[SEVERE], verified_italian_level="B1")
    Candidate.objects.filter(pk=candidate.pk).update(
        employability="A", severe_obstacle=False, italian_level_verified=""
    )
    candidate.refresh_from_db()

    assert sorted(candidate_facts_refresh(candidate)) == sorted(FACTS)
    assert _facts(candidate) == ("B", True, "B1")


def test_an_assessed_interview_is_not_deleted_from_the_admin_list(
    login, admin, candidate, recruiter
):
    assessment = _assess(candidate, recruiter, "B")
    response = login(admin).post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "delete_selected", "_selected_action": [assessment.interview_id], "post": "yes"},
    )

    assert response.status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert _facts(candidate) == ("B", False, "")
