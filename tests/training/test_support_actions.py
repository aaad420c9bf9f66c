"""Support actions: proposed for a candidate's obstacles, moved step by step with their
history, and, once done, resolving the obstacles they address."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.access import can, scope
from catalog.models import Certification, Comune
from interviews.models import Obstacle, RecommendedAction
from interviews.services import ActionInput, ObstacleInput, assessment_record
from tests.arrange import recorded_assessment
from tests.factories import InterviewFactory
from training.models import FundingChannel, SupportAction
from training.services import support_action_move, support_action_propose, support_action_update

Status = SupportAction.Status
FIRST_OF_MARCH = datetime.date(2027, 3, 1)


@pytest.fixture
def assessed(candidate, recruiter):
    """The persona candidate, interviewed by the persona recruiter: no car, care duties."""
    assessment = recorded_assessment(
        candidate,
        recruiter,
        ObstacleInput("transport", 3, "20 km, nessun autobus"),
        ObstacleInput("care", 2),
    )
    return assessment.interview, assessment


def _transport(assessment) -> Obstacle:
    return assessment.obstacles.get(kind=Obstacle.Kind.TRANSPORT)


@pytest.mark.django_db
def test_the_funding_channels_of_the_field_are_loaded_and_an_edit_survives_a_reload():
    assert FundingChannel.objects.get(code="gol-2").requires_did
    assert FundingChannel.objects.get(code="dote-unica-lavoro").requires_did
    assert not FundingChannel.objects.get(code="fondimpresa").requires_did
    assert {"gol-3", "fse-plus", "company", "charity"} <= set(
        FundingChannel.objects.values_list("code", flat=True)
    )
    channel = FundingChannel.objects.get(code="charity")
    channel.name_it = "Fondi del centro di ascolto"
    channel.save()
    call_command("load_reference", verbosity=0)
    channel.refresh_from_db()
    assert channel.name_it == "Fondi del centro di ascolto"


@pytest.mark.django_db
def test_a_proposed_action_belongs_to_the_candidates_caseworker_and_starts_its_history(
    assessed, candidate, caseworker, recruiter
):
    _interview, assessment = assessed
    action = support_action_propose(
        candidate=candidate,
        kind=SupportAction.Kind.TRANSPORT_PASS,
        actor=recruiter,
        obstacles=[_transport(assessment)],
        funding=FundingChannel.objects.get(code="charity"),
        cost="45.00",
    )
    assert (action.status, action.owner, action.partner) == (Status.PROPOSED, caseworker, None)
    assert list(action.obstacles.all()) == [_transport(assessment)]
    assert list(action.events.values_list("from_status", "to_status", "actor")) == [
        ("", "proposed", recruiter.pk)
    ]


@pytest.mark.django_db
def test_an_action_cannot_address_another_candidates_obstacle(
    assessed, other_candidate, caseworker
):
    _interview, assessment = assessed
    with pytest.raises(ValidationError, match="proprio candidato"):
        support_action_propose(
            candidate=other_candidate,
            kind=SupportAction.Kind.TRANSPORT_PASS,
            actor=caseworker,
            obstacles=[_transport(assessment)],
        )
    assert not SupportAction.objects.exists()


@pytest.mark.django_db
def test_finishing_an_action_resolves_its_obstacle_on_that_day_and_no_other(
    assessed, candidate, caseworker
):
    _interview, assessment = assessed
    action = support_action_propose(
        candidate=candidate,
        kind=SupportAction.Kind.COMPANY_SHUTTLE,
        actor=caseworker,
        obstacles=[_transport(assessment)],
    )
    for step in (Status.AGREED, Status.IN_PROGRESS):
        action = support_action_move(action=action, to=step, actor=caseworker)
    assert _transport(assessment).resolved_on is None
    action = support_action_move(
        action=action,
        to=Status.DONE,
        actor=caseworker,
        outcome="Navetta aziendale da Treviglio, turno 6-14",
        on=FIRST_OF_MARCH,
    )
    assert (action.status, action.finished_on) == (Status.DONE, FIRST_OF_MARCH)
    assert _transport(assessment).resolved_on == FIRST_OF_MARCH
    assert assessment.obstacles.get(kind=Obstacle.Kind.CARE).resolved_on is None
    assert list(action.events.values_list("to_status", flat=True)) == [
        "proposed",
        "agreed",
        "in_progress",
        "done",
    ]


@pytest.mark.django_db
def test_an_action_not_achieved_or_cancelled_leaves_its_obstacle_open_and_says_why(
    assessed, candidate, caseworker
):
    _interview, assessment = assessed
    action = support_action_propose(
        candidate=candidate,
        kind=SupportAction.Kind.BICYCLE,
        actor=caseworker,
        obstacles=[_transport(assessment)],
    )
    with pytest.raises(ValidationError, match="com'è finita"):
        support_action_move(action=action, to=Status.CANCELLED, actor=caseworker)
    action = support_action_move(
        action=action, to=Status.CANCELLED, actor=caseworker, note="Preferisce la navetta"
    )
    assert action.finished_on is not None
    assert _transport(assessment).resolved_on is None
    assert action.next_steps() == []  # final


@pytest.mark.django_db
def test_a_step_is_checked_against_the_action_as_stored(candidate, caseworker, staff):
    action = support_action_propose(
        candidate=candidate, kind=SupportAction.Kind.DOCUMENTS, actor=caseworker
    )
    with pytest.raises(ValidationError, match="non può passare"):
        support_action_move(action=action, to=Status.DONE, actor=caseworker, outcome="fatto")
    stale = SupportAction.objects.get(pk=action.pk)  # a page loaded before the next step
    support_action_move(action=action, to=Status.CANCELLED, actor=staff, note="Doppione")
    with pytest.raises(ValidationError, match="non può passare"):
        support_action_move(action=stale, to=Status.AGREED, actor=caseworker)
    action.refresh_from_db()
    assert action.status == Status.CANCELLED
    assert action.events.count() == 2


@pytest.mark.django_db
def test_correcting_the_assessment_keeps_the_obstacle_its_action_addresses(
    assessed, candidate, caseworker, recruiter
):
    interview, assessment = assessed
    action = support_action_propose(
        candidate=candidate,
        kind=SupportAction.Kind.TRANSPORT_PASS,
        actor=caseworker,
        obstacles=[_transport(assessment)],
    )
    assessment_record(
        interview=interview,
        actor=recruiter,
        employability="B",
        obstacles=[ObstacleInput("transport", 2, "Ora 15 km")],  # care no longer an obstacle
    )
    transport = _transport(assessment)
    assert (transport.severity, transport.note) == (2, "Ora 15 km")
    assert list(action.obstacles.all()) == [transport]
    assert not assessment.obstacles.filter(kind=Obstacle.Kind.CARE).exists()


@pytest.mark.django_db
def test_an_action_without_an_owner_is_refused_by_the_database(candidate, caseworker):
    action = support_action_propose(
        candidate=candidate, kind=SupportAction.Kind.HOUSING, actor=caseworker
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportAction.objects.filter(pk=action.pk).update(owner=None, partner=None)


@pytest.mark.django_db
def test_each_role_sees_the_actions_of_its_own_people(
    personas, assessed, candidate, other_candidate, caseworker, other_caseworker
):
    ours = support_action_propose(
        candidate=candidate, kind=SupportAction.Kind.CHILDCARE, actor=caseworker
    )
    theirs = support_action_propose(
        candidate=other_candidate, kind=SupportAction.Kind.HOUSING, actor=other_caseworker
    )
    seen = {role: set(scope(user, SupportAction)) for role, user in personas.items()}
    assert seen["admin"] == seen["staff"] == {ours, theirs}
    assert seen["caseworker"] == {ours}
    assert seen["other_caseworker"] == {theirs}
    assert seen["recruiter"] == {ours}  # they interviewed the persona candidate
    assert seen["company_hr"] == seen["other_company_hr"] == set()


@pytest.mark.django_db
def test_recruiters_propose_actions_and_caseworkers_and_staff_run_them(personas, candidate):
    action = support_action_propose(
        candidate=candidate, kind=SupportAction.Kind.ITALIAN_COURSE, actor=personas["staff"]
    )
    may = {
        role: {verb for verb in ("list", "propose", "move") if can(user, verb, action)}
        for role, user in personas.items()
    }
    assert may["staff"] == may["admin"] == may["caseworker"] == {"list", "propose", "move"}
    assert may["recruiter"] == {"list", "propose"}
    assert may["company_hr"] == set()


@pytest.mark.django_db
def test_a_recruiters_recommendations_become_proposed_actions_for_the_caseworker(
    candidate, caseworker, recruiter
):
    interview = InterviewFactory(candidate=candidate, recruiter=recruiter)
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    assessment = assessment_record(
        interview=interview,
        actor=recruiter,
        employability="B",
        obstacles=[ObstacleInput("transport", 3), ObstacleInput("care", 1)],
        actions=[
            ActionInput("transport", note="Abbonamento Bergamo-Dalmine"),
            ActionInput("training", certification=forklift),
        ],
    )
    transport, training = (
        SupportAction.objects.get(kind=SupportAction.Kind.TRANSPORT),
        SupportAction.objects.get(kind=SupportAction.Kind.TRAINING),
    )
    assert (transport.status, transport.owner, transport.created_by) == (
        Status.PROPOSED,
        caseworker,
        recruiter,
    )
    assert transport.note == "Abbonamento Bergamo-Dalmine"
    assert list(transport.obstacles.all()) == [_transport(assessment)]
    assert training.certification == forklift
    assert transport.assessment == training.assessment == assessment


@pytest.mark.django_db
def test_a_corrected_assessment_keeps_taken_up_actions_and_withdraws_untouched_proposals(
    candidate, caseworker, recruiter
):
    interview = InterviewFactory(candidate=candidate, recruiter=recruiter)

    def record(*kinds):
        return assessment_record(
            interview=interview,
            actor=recruiter,
            employability="B",
            obstacles=[ObstacleInput("transport", 3), ObstacleInput("documents", 2)],
            actions=[ActionInput(kind) for kind in kinds],
        )

    record("transport", "documents", "care")
    transport = SupportAction.objects.get(kind=SupportAction.Kind.TRANSPORT)
    support_action_move(action=transport, to=Status.AGREED, actor=caseworker)
    record("transport", "documents", "care")  # the same again: nothing new
    assert SupportAction.objects.count() == 3
    record("documents")  # transport (agreed) and care (untouched) no longer recommended
    statuses = dict(SupportAction.objects.values_list("kind", "status"))
    assert statuses == {"transport": "agreed", "documents": "proposed", "care": "cancelled"}


@pytest.mark.django_db
def test_recommendations_recorded_before_support_actions_become_proposals_once(
    candidate, caseworker, recruiter
):
    assessment = recorded_assessment(candidate, recruiter, ObstacleInput("language", 2))
    RecommendedAction.objects.create(assessment=assessment, kind="language", note="A2 -> B1")
    migration = import_module("training.migrations.0002_proposals_from_recommendations")
    migration.propose_from_recommendations(django_apps, None)
    migration.propose_from_recommendations(django_apps, None)  # a second run adds nothing
    action = SupportAction.objects.get()
    assert (action.kind, action.status, action.owner, action.note) == (
        "italian_course",
        "proposed",
        caseworker,
        "A2 -> B1",
    )
    assert [o.kind for o in action.obstacles.all()] == ["language"]
    assert list(action.events.values_list("to_status", "actor")) == [("proposed", recruiter.pk)]


@pytest.mark.django_db
def test_an_open_action_is_settled_in_detail_and_a_finished_one_changes_no_more(
    candidate, caseworker
):
    action = support_action_propose(candidate=candidate, kind="transport", actor=caseworker)
    sarnico = Comune.objects.get(istat_code="016193")
    action = support_action_update(
        action=action, actor=caseworker, kind="company_shuttle", destination=sarnico, cost="0"
    )
    action.refresh_from_db()
    assert (action.kind, action.destination, action.cost) == ("company_shuttle", sarnico, 0)
    with pytest.raises(ValidationError, match="trasporti"):
        support_action_update(action=action, actor=caseworker, kind="housing")
    support_action_move(action=action, to="cancelled", actor=caseworker, note="Non serve")
    with pytest.raises(ValidationError, match="non può più"):
        support_action_update(action=action, actor=caseworker, note="dopo")
    action.refresh_from_db()
    assert (action.kind, action.note) == ("company_shuttle", "")


@pytest.mark.django_db
def test_a_done_italian_course_raises_the_verified_level_and_the_language_component(
    candidate, caseworker
):
    from matching.ranking import rank
    from tests.factories import NeedFactory

    need = NeedFactory(italian_level="B1")
    candidate.italian_level, candidate.italian_level_verified = "A2", "A1"
    candidate.save()
    before = next(row for row in rank(need).rows if row.candidate == candidate)
    action = support_action_propose(
        candidate=candidate, kind=SupportAction.Kind.ITALIAN_COURSE, actor=caseworker
    )
    action = support_action_update(action=action, actor=caseworker, level_reached="B1")
    for step in ("agreed", "in_progress"):
        action = support_action_move(action=action, to=step, actor=caseworker)
    support_action_move(action=action, to="done", actor=caseworker, outcome="Esame CILS B1")

    candidate.refresh_from_db()
    after = next(row for row in rank(need).rows if row.candidate == candidate)
    assert candidate.italian_level_verified == "B1"
    assert (before.components["language"], after.components["language"]) == (0.3, 1.0)


@pytest.mark.django_db
def test_only_an_italian_course_reaches_a_level(candidate, caseworker):
    action = support_action_propose(candidate=candidate, kind="housing", actor=caseworker)
    with pytest.raises(
        ValidationError, match="Solo un corso di italiano certifica un livello di italiano"
    ):
        support_action_update(action=action, actor=caseworker, level_reached="B1")
