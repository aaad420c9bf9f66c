"""An agreed or finished transport support lets a candidate without a car reach a workplace
beyond the no-car limit: the ranking reads the travel arrangement it leaves on the candidate."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from candidates.models import TravelArrangement
from candidates.services import travel_arrangement_add
from interviews.services import ObstacleInput
from matching.ranking import rank
from tests.arrange import comune, recorded_assessment
from tests.factories import CandidateFactory, NeedFactory
from training.models import SupportAction
from training.services import support_action_move, support_action_propose

DALMINE, SARNICO, LOVERE = "016091", "016193", "016128"
TREVIGLIO = "016219"  # some 22 km from Dalmine by road
START = datetime.date(2027, 3, 1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _row(ranking, candidate):
    (row,) = [row for row in ranking.rows if row.candidate == candidate]
    return row


@pytest.fixture
def need():
    return NeedFactory(workplace=comune(TREVIGLIO), start_date=START)


@pytest.fixture
def walker(centre, caseworker):
    """Lives in Dalmine, no car, 22 km from the workplace (the no-car limit is 10 km)."""
    return CandidateFactory(
        centre=centre, caseworker=caseworker, residence_comune=comune(DALMINE), own_car=False
    )


def test_an_agreed_shuttle_to_the_workplace_lets_a_candidate_without_a_car_reach_it(
    need, walker, centre, caseworker, recruiter
):
    driver = CandidateFactory(centre=centre, residence_comune=comune(DALMINE), own_car=True)
    before = rank(need)
    assert _row(before, walker).components["commute"] == 0
    assert any("without a car" in gap.what for gap in _row(before, walker).gaps)

    assessment = recorded_assessment(walker, recruiter, ObstacleInput("transport", 3))
    action = support_action_propose(
        candidate=walker,
        kind=SupportAction.Kind.COMPANY_SHUTTLE,
        actor=caseworker,
        obstacles=assessment.obstacles.all(),
        destination=comune(TREVIGLIO),
    )
    assert _row(rank(need), walker).components["commute"] == 0  # proposed: not yet
    for step in ("agreed", "in_progress"):
        action = support_action_move(action=action, to=step, actor=caseworker)
    assert _row(rank(need), walker).components["commute"] > 0  # agreed: they can count on it
    support_action_move(
        action=action,
        to="done",
        actor=caseworker,
        outcome="Navetta Dalmine-Treviglio",
        on=START - datetime.timedelta(days=10),
    )

    after = rank(need)
    row = _row(after, walker)
    assert row.components["commute"] == _row(after, driver).components["commute"] > 0
    assert not any("without a car" in gap.what for gap in row.gaps)
    arrangement = walker.travel_arrangements.get()
    assert (arrangement.mode, arrangement.destination, arrangement.within_km) == (
        TravelArrangement.Mode.COMPANY_SHUTTLE,
        comune(TREVIGLIO),
        5,
    )


def test_a_transport_support_that_falls_through_no_longer_widens_the_reach(
    need, walker, caseworker
):
    action = support_action_propose(
        candidate=walker,
        kind=SupportAction.Kind.CAR_POOLING,
        actor=caseworker,
        destination=comune(TREVIGLIO),
    )
    action = support_action_move(
        action=action, to="agreed", actor=caseworker, on=START - datetime.timedelta(days=30)
    )
    assert _row(rank(need), walker).components["commute"] > 0
    support_action_move(
        action=action,
        to="cancelled",
        actor=caseworker,
        note="Il collega ha cambiato turno",
        on=START - datetime.timedelta(days=20),
    )
    assert _row(rank(need), walker).components["commute"] == 0
    assert walker.travel_arrangements.get().until == START - datetime.timedelta(days=20)


def test_a_pass_to_another_zone_or_one_that_lapsed_before_the_start_does_not_count(need, walker):
    travel_arrangement_add(
        candidate=walker,
        mode="transport_pass",
        destination=comune(LOVERE),  # far from Treviglio: beyond its 5 km
        since=datetime.date(2027, 1, 1),
    )
    travel_arrangement_add(
        candidate=walker,
        mode="transport_pass",
        destination=comune(TREVIGLIO),
        since=datetime.date(2026, 1, 1),
        until=START - datetime.timedelta(days=1),
    )
    assert _row(rank(need), walker).components["commute"] == 0


def test_only_transport_support_takes_a_candidate_somewhere(walker, caseworker):
    with pytest.raises(ValidationError, match="transport"):
        support_action_propose(
            candidate=walker,
            kind=SupportAction.Kind.HOUSING,
            actor=caseworker,
            destination=comune(SARNICO),
        )
    assert not SupportAction.objects.exists()


def test_the_candidate_page_shows_the_ways_to_work_they_now_have(login, caseworker, walker):
    travel_arrangement_add(
        candidate=walker,
        mode="company_shuttle",
        destination=comune(SARNICO),
        since=datetime.date(2027, 2, 19),
    )
    html = login(caseworker).get(walker.get_absolute_url()).text
    assert "Navetta aziendale → Sarnico (BG) (+5 km) · dal 19/02/2027" in html
