"""The ranking engine on hand-built cases whose right order is obvious.

Each case changes one thing between otherwise identical candidates, and the better candidate
is created last, so that the tie-break on the primary key would put it second: the order
asserted comes from the score, not from the order of creation.
"""

import datetime

import pytest

from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateSkill,
    Consent,
    Experience,
)
from candidates.services import consent_set
from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Need, NeedCertification, NeedSkill
from interviews.services import ObstacleInput, assessment_record
from matching.models import MatchingWeights
from matching.ranking import Filters, rank
from matching.services import weights_update
from tests.arrange import comune
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, TrancheFactory

BERGAMO = "016024"
DALMINE = "016091"  # about 7 km from Bergamo
TREVIGLIO = "016219"  # about 20 km from Bergamo
SARNICO = "016193"  # about 28 km from Dalmine
VALBONDIONE = "016223"  # at the head of Val Seriana
START = datetime.date(2027, 3, 1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def without_a_point() -> Comune:
    """A comune of the province whose point is unknown, as one that ISTAT creates would be
    until the extract is rebuilt: the reference data have a point for every comune of it."""
    nowhere = comune(VALBONDIONE)
    nowhere.latitude = nowhere.longitude = None
    nowhere.save(update_fields=["latitude", "longitude"])
    return nowhere


def order(ranking) -> list[Candidate]:
    return [row.candidate for row in ranking.rows]


def row_of(ranking, candidate: Candidate):
    (row,) = [row for row in ranking.rows if row.candidate == candidate]
    return row


def gaps_of(ranking, candidate: Candidate) -> dict[str, str]:
    return {gap.what: gap.closes_it for gap in row_of(ranking, candidate).gaps}


@pytest.fixture
def person(centre):
    """`person(**fields)`: a consenting, registered candidate of the same centre."""

    def _person(**fields) -> Candidate:
        return CandidateFactory(centre=centre, **fields)

    return _person


@pytest.fixture
def assess(recruiter):
    """`assess(candidate, "A", when=...)`: an interview in a new tranche, then its assessment."""

    def _assess(candidate: Candidate, employability: str, when=None, **fields):
        interview = InterviewFactory(
            candidate=candidate,
            recruiter=recruiter,
            tranche=TrancheFactory(),
            **({"scheduled_at": when} if when else {}),
        )
        return assessment_record(
            interview=interview, actor=recruiter, employability=employability, **fields
        )

    return _assess


@pytest.fixture
def forklift_licence() -> Certification:
    return Certification.objects.get(code="abilitazione-carrelli-elevatori")


@pytest.fixture
def forklift_driving() -> Skill:
    return Skill.objects.get(code="conduzione-carrello")


# Commute -------------------------------------------------------------------------------------


def test_with_a_car_a_workplace_20_km_away_by_road_ranks_higher(person):
    need = NeedFactory(workplace=comune(TREVIGLIO))
    on_foot = person(residence_comune=comune(DALMINE), own_car=False)
    by_car = person(residence_comune=comune(DALMINE), own_car=True)

    ranking = rank(need)

    assert order(ranking) == [by_car, on_foot]
    assert 18 <= row_of(ranking, on_foot).distance_km <= 28
    assert row_of(ranking, by_car).components["commute"] > 0
    assert row_of(ranking, on_foot).components["commute"] == 0
    assert "transport support (car sharing, company shuttle, bus pass)" in (
        gaps_of(ranking, on_foot).values()
    )
    assert not any("transport" in closes for closes in gaps_of(ranking, by_car).values())


def test_unknown_coordinates_count_as_neutral_with_a_distance_unknown_gap(person):
    nowhere = without_a_point()
    need = NeedFactory(workplace=comune(BERGAMO))
    far = person(residence_comune=comune(TREVIGLIO), own_car=False)
    unknown = person(residence_comune=nowhere)
    near = person(residence_comune=comune(BERGAMO))

    ranking = rank(need)

    assert order(ranking) == [near, unknown, far]
    row = row_of(ranking, unknown)
    assert row.distance_km is None
    assert row.components["commute"] == 0.5
    assert gaps_of(ranking, unknown)["distance unknown"] == "check where the candidate lives"
    assert "distance unknown" not in gaps_of(ranking, near)


def test_a_workplace_without_coordinates_leaves_every_distance_unknown(person):
    nowhere = without_a_point()
    need = NeedFactory(workplace=nowhere)
    candidate = person(residence_comune=comune(BERGAMO))

    row = row_of(rank(need), candidate)

    assert (row.distance_km, row.components["commute"]) == (None, 0.5)
    assert "distance unknown" in {gap.what for gap in row.gaps}


def test_a_candidate_who_will_not_commute_at_all_is_ranked_with_no_commute_score(person):
    """0 km is a valid answer at intake and in the import: it must not break the ranking."""
    need = NeedFactory(workplace=comune(BERGAMO))
    stays_home = person(residence_comune=comune(DALMINE), max_commute_km=0)
    at_home = person(residence_comune=comune(BERGAMO), max_commute_km=0)
    other = person(residence_comune=comune(DALMINE))

    ranking = rank(need)

    assert row_of(ranking, stays_home).components["commute"] == 0
    assert row_of(ranking, at_home).components["commute"] == 1
    assert order(ranking) == [at_home, other, stays_home]


# Skills and certifications -------------------------------------------------------------------


def test_a_verified_certification_outranks_a_declared_one_which_outranks_none(
    person, forklift_licence
):
    need = NeedFactory(profile=JobProfile.objects.get(code="carrellista"))
    NeedCertification.objects.create(need=need, certification=forklift_licence, mandatory=False)
    without = person()
    declared = person()
    verified = person()
    CandidateCertification.objects.create(candidate=declared, certification=forklift_licence)
    CandidateCertification.objects.create(
        candidate=verified, certification=forklift_licence, verified=True
    )

    ranking = rank(need)

    assert order(ranking) == [verified, declared, without]
    assert [row.components["skills"] for row in ranking.rows] == [1.0, 0.6, 0.0]
    assert gaps_of(ranking, without)[f"certification: {forklift_licence.name}"] == (
        "a course leading to it"
    )
    assert f"certification: {forklift_licence.name}" not in gaps_of(ranking, declared)


def test_a_mandatory_skill_knocks_out_who_lacks_it_and_says_which(person, forklift_driving):
    need = NeedFactory(profile=JobProfile.objects.get(code="carrellista"))
    NeedSkill.objects.create(need=need, skill=forklift_driving, mandatory=True)
    lacking = person()
    skilled = person()
    CandidateSkill.objects.create(candidate=skilled, skill=forklift_driving)

    ranking = rank(need)

    assert order(ranking) == [skilled]
    assert ranking.eligible == 1
    explained = rank(need, candidate=lacking)
    assert explained.rows == []
    assert explained.why_not == [f"lacks the mandatory skill “{forklift_driving.name}”"]


def test_a_mandatory_certification_expired_before_the_start_does_not_count(
    person, forklift_licence
):
    need = NeedFactory(start_date=START)
    NeedCertification.objects.create(need=need, certification=forklift_licence, mandatory=True)
    expired = person()
    valid = person()
    CandidateCertification.objects.create(
        candidate=expired, certification=forklift_licence, expires_on=START - datetime.timedelta(1)
    )
    CandidateCertification.objects.create(
        candidate=valid, certification=forklift_licence, expires_on=START
    )

    assert order(rank(need)) == [valid]
    assert rank(need, candidate=expired).why_not == [
        f"the mandatory certification “{forklift_licence.name}” expired on 02/28/2027"
    ]


# Knock-outs ----------------------------------------------------------------------------------


def test_a_candidate_who_withdrew_consent_to_matching_is_out_and_told_why(person, staff):
    stays = person()
    withdrew = person()
    consent_set(candidate=withdrew, purpose=Consent.MATCHING, granted=False, actor=staff)
    need = NeedFactory()

    assert order(rank(need)) == [stays]
    explained = rank(need, candidate=Candidate.objects.get(pk=withdrew.pk))
    assert explained.rows == []
    assert explained.why_not == ["has not consented to matching (or withdrew the consent)"]


def test_a_permit_expiring_before_the_start_date_knocks_out(person):
    need = NeedFactory(start_date=START)
    expiring = person(permit_expiry=START - datetime.timedelta(days=14))
    renewed = person(permit_expiry=START + datetime.timedelta(days=120))
    citizen = person(nationality="IT", permit_expiry=None)

    assert set(order(rank(need))) == {renewed, citizen}
    assert rank(need, candidate=expiring).why_not == [
        "residence permit expires on 02/15/2027, before the start, and no renewal requested"
    ]


def test_placed_candidates_are_out(person):
    placed = person(status=Candidate.Status.PLACED)
    need = NeedFactory()

    assert order(rank(need)) == []
    assert rank(need, candidate=placed).why_not == ["status “Placed”"]


# Language and employability ------------------------------------------------------------------


def test_italian_below_the_needs_level_gives_a_language_gap(person, assess):
    need = NeedFactory(italian_level="B1")
    below = person(italian_level="A2")
    verified_up = person(italian_level="A2")
    assess(verified_up, "B", verified_italian_level="B1")
    level = person(italian_level="B1")

    ranking = rank(need)

    assert row_of(ranking, below).components["language"] == 0.6
    assert gaps_of(ranking, below)["Italian below B1"] == "an Italian course"
    for better in (level, verified_up):
        assert row_of(ranking, better).components["language"] == 1.0
        assert "Italian below B1" not in gaps_of(ranking, better)
    assert order(ranking).index(level) < order(ranking).index(below)


def test_class_a_ranks_above_the_unassessed_above_class_c(person, assess):
    need = NeedFactory()
    low = person()
    assess(low, "C")
    unassessed = person()
    placeable = person()
    assess(placeable, "A")

    ranking = rank(need)

    assert order(ranking) == [placeable, unassessed, low]
    assert [row.employability for row in ranking.rows] == ["A", "", "C"]
    assert [row.components["employability"] for row in ranking.rows] == [1.0, 0.5, 0.2]


def test_the_latest_assessment_gives_the_class(person, assess):
    need = NeedFactory()
    improved = person()
    assess(improved, "C", when=datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC))
    assess(improved, "A", when=datetime.datetime(2027, 1, 12, 9, tzinfo=datetime.UTC))
    worsened = person()
    assess(worsened, "C", when=datetime.datetime(2027, 1, 12, 9, tzinfo=datetime.UTC))
    assess(worsened, "A", when=datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC))

    ranking = rank(need)

    assert row_of(ranking, improved).employability == "A"
    assert row_of(ranking, worsened).employability == "C"
    assert order(ranking) == [improved, worsened]


# Weights -------------------------------------------------------------------------------------


def test_a_new_weights_version_reorders_and_the_old_one_still_ranks_as_before(person, admin):
    need = NeedFactory(workplace=comune(BERGAMO))
    near = person(residence_comune=comune(BERGAMO))
    experienced = person(residence_comune=comune(TREVIGLIO), own_car=False)
    Experience.objects.create(candidate=experienced, profile=need.profile, years=3)
    first = weights_update(actor=admin)  # the defaults: profile 30, commute 15

    assert order(rank(need)) == [experienced, near]

    second = weights_update(actor=admin, profile=10, commute=60)
    ranking = rank(need)

    assert ranking.weights == second
    assert order(ranking) == [near, experienced]
    assert order(rank(need, weights=first)) == [experienced, near]
    assert MatchingWeights.objects.current() == second


# Filters -------------------------------------------------------------------------------------


def test_filter_by_class(person, assess):
    need = NeedFactory()
    a, b, unassessed = person(), person(), person()
    assess(a, "A")
    assess(b, "B")

    ranking = rank(need, filters=Filters(employability="B"))

    assert order(ranking) == [b]
    assert ranking.eligible == 1
    assert rank(need, candidate=unassessed, filters=Filters(employability="B")).why_not == [
        "excluded by the filters"
    ]


def test_filter_by_maximum_distance(person):
    need = NeedFactory(workplace=comune(BERGAMO))
    home = person(residence_comune=comune(BERGAMO))
    dalmine = person(residence_comune=comune(DALMINE))
    person(residence_comune=comune(TREVIGLIO))

    assert order(rank(need, filters=Filters(max_km=10))) == [home, dalmine]
    assert order(rank(need, filters=Filters(max_km=1))) == [home]


def test_filter_by_car(person):
    need = NeedFactory()
    with_car = person(own_car=True)
    without = person(own_car=False)

    assert order(rank(need, filters=Filters(has_car=True))) == [with_car]
    assert order(rank(need, filters=Filters(has_car=False))) == [without]


def test_filter_by_availability_date(person):
    need = NeedFactory()
    now = person(available_from=None)
    january = person(available_from=datetime.date(2027, 1, 10))
    person(available_from=datetime.date(2027, 4, 1))

    ranking = rank(need, filters=Filters(available_by=datetime.date(2027, 2, 1)))

    assert set(order(ranking)) == {now, january}
    assert ranking.eligible == 2


# Shape of the result -------------------------------------------------------------------------


@pytest.fixture
def varied_pool(centre, forklift_driving, forklift_licence):
    """`varied_pool(size, need)`: candidates with a bit of everything the explanation reads:
    skills verified or declared, certifications, experience, comuni near and far, with and
    without a car, different Italian levels, shifts and start dates."""
    places = [comune(code) for code in (BERGAMO, DALMINE, TREVIGLIO, SARNICO)]
    levels = ["A1", "A2", "B1", "B2", "native", ""]

    def _pool(size: int, need: Need) -> list[Candidate]:
        pool = []
        for n in range(size):
            candidate = CandidateFactory(
                centre=centre,
                residence_comune=places[n % len(places)],
                own_car=n % 3 == 0,
                motorbike=n % 7 == 3,
                italian_level=levels[n % len(levels)],
                # All can work the need's two shifts and nights, by its start.
                shifts=["two", "three"][n % 2],
                nights=True,
                available_from=START - datetime.timedelta(days=10 * (n % 5)),
            )
            if n % 2:
                CandidateSkill.objects.create(
                    candidate=candidate, skill=forklift_driving, verified=n % 4 == 1
                )
            if n % 3 == 1:
                CandidateCertification.objects.create(
                    candidate=candidate, certification=forklift_licence
                )
            if n % 5 == 2:
                Experience.objects.create(candidate=candidate, profile=need.profile, years=2)
            pool.append(candidate)
        return pool

    return _pool


@pytest.fixture
def demanding_need(forklift_driving, forklift_licence) -> Need:
    need = NeedFactory(
        profile=JobProfile.objects.get(code="carrellista"),
        workplace=comune(DALMINE),
        italian_level="B1",
        shifts=Need.Shifts.TWO,
        nights=True,
        start_date=START,
        min_experience_years=3,
    )
    NeedSkill.objects.create(need=need, skill=forklift_driving)
    NeedCertification.objects.create(need=need, certification=forklift_licence)
    return need


@pytest.mark.parametrize("size", [5, 40])
def test_the_number_of_queries_does_not_depend_on_the_pool(
    size, varied_pool, assess, demanding_need, django_assert_num_queries
):
    pool = varied_pool(size, demanding_need)
    assess(pool[0], "A")
    assess(pool[-1], "C", obstacles=[ObstacleInput("housing", 3)])  # a severe one, open
    need = Need.objects.get(pk=demanding_need.pk)
    # 1 current weights, 2 skill requirements, 3 certification requirements, 4 the need's
    # profile (its family), 5 the workplace, 6 the order of the pool with the top rows'
    # components and how many are eligible, 7 the top candidates, 8 their skills, 9 their
    # certifications, 10 their years in the profile, 11 their severe obstacles.
    with django_assert_num_queries(11):
        ranking = rank(need, top=50)
    assert len(ranking.rows) == size


def test_scores_are_0_to_100_and_components_0_to_1(
    person, assess, varied_pool, demanding_need, forklift_driving, forklift_licence
):
    pool = varied_pool(24, demanding_need)
    assess(pool[1], "C")
    ideal = person(
        residence_comune=comune(DALMINE),
        italian_level="C1",
        shifts="three",
        nights=True,
        available_from=START,
    )
    CandidateSkill.objects.create(candidate=ideal, skill=forklift_driving, verified=True)
    CandidateCertification.objects.create(
        candidate=ideal, certification=forklift_licence, verified=True
    )
    Experience.objects.create(candidate=ideal, profile=demanding_need.profile, years=4)
    assess(ideal, "A")
    weights = MatchingWeights.objects.current()

    ranking = rank(demanding_need)

    assert ranking.rows[0].candidate == ideal
    assert ranking.rows[0].score == 100
    assert ranking.eligible == len(ranking.rows) == 25
    for row in ranking.rows:
        assert 0 <= row.score <= 100
        assert set(row.components) == set(MatchingWeights.COMPONENTS)
        assert all(0 <= value <= 1 for value in row.components.values())
        weighted = sum(row.components[name] * getattr(weights, name) for name in row.components)
        assert row.score == pytest.approx(100 * weighted / weights.total, abs=1)
    assert [row.position for row in ranking.rows] == list(range(1, 26))
    assert [row.score for row in ranking.rows] == sorted(
        (row.score for row in ranking.rows), reverse=True
    )


def test_asking_about_one_candidate_gives_the_same_position_and_breakdown(
    varied_pool, demanding_need
):
    pool = varied_pool(12, demanding_need)
    full = rank(demanding_need)

    for row in full.rows:
        (alone,) = rank(demanding_need, candidate=row.candidate).rows
        assert (alone.position, alone.score, alone.components, alone.gaps) == (
            row.position,
            row.score,
            row.components,
            row.gaps,
        )
    assert len(full.rows) == len(pool)


def test_top_limits_the_explained_rows_not_the_count(person):
    need = NeedFactory()
    for _ in range(4):
        person()

    ranking = rank(need, top=2)

    assert len(ranking.rows) == 2
    assert ranking.eligible == 4


@pytest.mark.django_db
def test_on_equal_scores_who_can_start_first_ranks_first():
    need = NeedFactory(start_date=START)
    later = CandidateFactory(available_from=datetime.date(2026, 12, 10))
    sooner = CandidateFactory(available_from=datetime.date(2026, 11, 20))
    now = CandidateFactory(available_from=None)
    ranking = rank(need)
    scores = {row.candidate: row.score for row in ranking.rows}
    assert scores[later] == scores[sooner] == scores[now]  # the start is before the need's
    assert [row.candidate for row in ranking.rows] == [now, sooner, later]
    assert [rank(need, candidate=c).rows[0].position for c in (now, sooner, later)] == [1, 2, 3]
