"""Who is ready for a need, and who is one closable gap from it: the gap analysis's question,
answered by the ranking in one query, and in agreement with its what-if."""

import datetime

import pytest

from candidates.models import CandidateCertification, Experience
from catalog.models import Certification, Comune, JobProfile
from companies.models import NeedCertification
from matching.ranking import Assumption, Closer, rank
from tests.arrange import weights_with
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SARNICO, BAGNATICA = "016193", "016018"  # 18 km apart by road: beyond 10 km without a car


@pytest.fixture(autouse=True)
def weights(staff):
    """Ready at 93: a strong candidate (100) is ready; without the Italian the need asks
    (90), or without a car beyond the 10 km a walk or a bus allows (85), one is not; with a
    way to the workplace counted as a car's 50 km, 18 km is near enough (94.5)."""
    return weights_with(
        staff,
        max_km_with_car=50,
        max_km_without_car=10,
        ready_score=93,
    )


@pytest.fixture
def forklift():
    return Certification.objects.get(code="abilitazione-carrelli-elevatori")


@pytest.fixture
def need(forklift):
    need = NeedFactory(
        profile=JobProfile.objects.get(code="carrellista"),
        workplace=Comune.objects.get(istat_code=SARNICO),
        italian_level="B2",
        start_date=datetime.date(2027, 3, 1),
    )
    NeedCertification.objects.create(need=need, certification=forklift, mandatory=True)
    return need


def _candidate(forklift, *, licence=True, home=SARNICO, car=True, level="B2", **fields):
    candidate = CandidateFactory(
        residence_comune=Comune.objects.get(istat_code=home),
        own_car=car,
        italian_level=level,
        employability="A",
        **fields,
    )
    Experience.objects.create(
        candidate=candidate, profile=JobProfile.objects.get(code="carrellista"), years=4
    )
    if licence:
        CandidateCertification.objects.create(
            candidate=candidate, certification=forklift, verified=True
        )
    return candidate


def test_ready_and_near_ready_candidates_with_the_gap_that_closes_it(need, forklift):
    ready = _candidate(forklift)
    no_licence = _candidate(forklift, licence=False)
    weak_italian = _candidate(forklift, level="A1")
    no_car = _candidate(forklift, home=BAGNATICA, car=False)
    far = CandidateFactory(employability="C", italian_level="A1")  # no licence, nothing else

    ranking = rank(need, readiness=True)

    assert ranking.ready == [ready.pk]
    assert ranking.near == {
        Closer("certification", forklift.pk): [no_licence.pk],
        Closer("italian", level="B2"): [weak_italian.pk],
        Closer("transport", need.workplace_id): [no_car.pk],
    }
    assert far.pk not in {pk for pks in ranking.near.values() for pk in pks}


def test_near_ready_by_a_certification_is_what_the_what_if_lifts(need, forklift):
    near = [_candidate(forklift, licence=False) for _ in range(3)]
    lifted = rank(need, readiness=True).near[Closer("certification", forklift.pk)]
    assumed = rank(
        need,
        among=[c.pk for c in near],
        top=3,
        assume=Assumption(
            candidates=tuple(c.pk for c in near), certifications=((forklift.pk, None),)
        ),
    )
    ready_score = assumed.weights.ready_score
    assert sorted(lifted) == sorted(r.candidate.pk for r in assumed.rows if r.score >= ready_score)
    assert rank(need, among=[c.pk for c in near], top=3).rows == []  # knocked out without it


def test_a_transport_what_if_reaches_the_workplace_like_a_real_arrangement(need, forklift):
    walker = _candidate(forklift, home=BAGNATICA, car=False)
    assume = Assumption(candidates=(walker.pk,), destination=need.workplace)
    before = rank(need, among=[walker.pk], top=1)
    after = rank(need, among=[walker.pk], top=1, assume=assume)
    ready_score = before.weights.ready_score
    assert before.rows[0].components["commute"] == 0
    assert before.rows[0].score < ready_score <= after.rows[0].score
    assert rank(need, readiness=True).near == {Closer("transport", need.workplace_id): [walker.pk]}
