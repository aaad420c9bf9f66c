"""The kept ranking: a need's plain ranking is served from the shared cache until what it is
worked out from changes; the rows are read within the viewer's scope; what-if calls are
worked out afresh.

The test's transaction never commits: the writes that set up a case, and those that change
it, are made inside `committed()`, whose end runs their on-commit callbacks as a commit
would (the kept results' version changes then, `focus.cache`)."""

import pytest
from django.urls import reverse

from accounts.access import scope
from candidates.models import Candidate
from candidates.services import candidate_set_status, candidate_update
from catalog.models import Skill
from companies.models import Need, NeedSkill
from companies.services import need_requirements_set
from interviews.services import assessment_record
from matching.models import MatchingWeights
from matching.ranking import rank
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, TrancheFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` writes whose on-commit callbacks run at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def forklift_driving() -> Skill:
    return Skill.objects.get(code="conduzione-carrello")


@pytest.fixture
def case(committed, company, centre, other_centre, forklift_driving):
    """A need asking (not requiring) forklift driving, and two candidates alike in all but
    their centres: the first registered ranks first (the tie-break), until something
    changes."""
    with committed():
        need = NeedFactory(company=company, headcount=1)
        NeedSkill.objects.create(need=need, skill=forklift_driving, mandatory=False)
        first = CandidateFactory(centre=centre, last_name="Prima")
        second = CandidateFactory(centre=other_centre, last_name="Seconda")
    return need, first, second


def order(ranking) -> list[Candidate]:
    return [row.candidate for row in ranking.rows]


def test_the_second_ranking_of_a_need_is_served_from_the_cache(case, django_assert_num_queries):
    need, first, second = case
    # 1 current weights, 2 skill requirements, 3 certification requirements (the need's
    # profile and workplace are those the factory set on it), 4 the kept result and the
    # namespace's version (one read of the cache: no result yet), 5 the order of the pool
    # with the top rows' components and the eligible count, 6-10 the result stored (the
    # database cache: its size, a savepoint, the key, the row written, the savepoint
    # released), 11 the top candidates, 12 their skills, 13 their years in the profile,
    # 14 their severe obstacles.
    with django_assert_num_queries(14):
        worked_out = rank(need)
    # 1-3 as above, 4 the kept result (found: the pool is not read again), 5 the top
    # candidates, by id, 6-8 their skills, years and severe obstacles (the explanations
    # are worked out again, from the rows read now).
    with django_assert_num_queries(8):
        kept = rank(need)
    assert order(kept) == order(worked_out) == [first, second]
    assert [row.score for row in kept.rows] == [row.score for row in worked_out.rows]
    assert [row.gaps for row in kept.rows] == [row.gaps for row in worked_out.rows]
    assert kept.eligible == 2


def test_a_skill_declared_through_the_candidates_form_changes_the_next_ranking(
    case, committed, other_caseworker, forklift_driving
):
    need, first, second = case
    assert order(rank(need)) == [first, second]
    with committed():
        candidate_update(candidate=second, actor=other_caseworker, skills=[forklift_driving])
    ranking = rank(need)
    assert order(ranking) == [second, first]
    assert ranking.rows[0].components["skills"] == 0.6  # declared, not yet verified


def test_an_assessment_giving_a_class_changes_the_next_ranking(case, committed, recruiter):
    need, first, second = case
    assert order(rank(need)) == [first, second]
    with committed():
        interview = InterviewFactory(
            candidate=second, recruiter=recruiter, tranche=TrancheFactory()
        )
        assessment_record(interview=interview, actor=recruiter, employability="A")
    ranking = rank(need)
    assert order(ranking) == [second, first]
    assert ranking.rows[0].employability == "A"


@pytest.mark.parametrize("status", [Candidate.Status.PLACED, Candidate.Status.WITHDRAWN])
def test_a_candidate_hired_or_withdrawn_leaves_the_next_ranking(case, committed, staff, status):
    need, first, second = case
    assert order(rank(need)) == [first, second]
    with committed():
        candidate_set_status(candidate=first, status=status, actor=staff)
    ranking = rank(need)
    assert order(ranking) == [second]
    assert ranking.eligible == 1


def test_a_change_to_the_need_changes_the_next_ranking(
    case, committed, other_caseworker, forklift_driving
):
    need, first, second = case
    with committed():
        candidate_update(candidate=second, actor=other_caseworker, skills=[forklift_driving])
    assert order(rank(need)) == [second, first]
    with committed():  # nobody has it: the skill no longer counts
        need_requirements_set(need=Need.objects.get(pk=need.pk), preferred_skills=[])
    assert order(rank(need)) == [first, second]
    with committed():  # now it is required: only who has it is ranked
        need_requirements_set(
            need=Need.objects.get(pk=need.pk), mandatory_skills=[forklift_driving]
        )
    assert order(rank(need)) == [second]


def test_a_user_outside_the_scope_never_sees_a_cached_candidate(
    case, caseworker, other_caseworker, django_assert_num_queries
):
    need, first, second = case
    assert order(rank(need)) == [first, second]  # kept, with both
    # The kept order, read within their scope: 1 weights, 2-3 requirements, 4 the kept
    # result (the pool is not read), 5 the candidates of the rows in their scope, 6-8 the
    # skills, years and severe obstacles of those left.
    with django_assert_num_queries(8):
        theirs = rank(need, visible=scope(other_caseworker, Candidate))
    assert order(theirs) == [second]
    assert theirs.rows[0].position == 2  # their place in the whole ranking
    assert order(rank(need, visible=scope(caseworker, Candidate))) == [first]


def test_what_if_calls_are_worked_out_afresh(case):
    need, first, second = case
    assert order(rank(need)) == [first, second]
    # A write that sends no signal and touches nothing: the kept order stays as it was...
    Candidate.objects.filter(pk=first.pk).update(status=Candidate.Status.WITHDRAWN)
    assert order(rank(need)) == [first, second]
    # ...but no what-if reads it.
    assert order(rank(need, among=[first.pk, second.pk])) == [second]
    assert order(rank(need, weights=MatchingWeights(version=99))) == [second]
    assert rank(need, candidate=first).why_not


def test_the_ranking_page_reads_the_kept_ranking_the_second_time(
    login, staff, case, django_assert_num_queries
):
    need, first, second = case
    client = login(staff)
    url = reverse("matching:need_rank", args=[need.pk])
    # 1 session, 2 user, 3 their second factor's device, 4 the need (with company,
    # campaign, profile and workplace), rank(): 5 weights, 6-7 skill and certification
    # requirements, 8 the cache (nothing kept), 9 the order of the pool, 10 the near
    # misses, 11-15 the result stored (the cache's size, a savepoint, the key, the row,
    # the savepoint released), 16 the candidates of the rows, 17-19 their skills, years
    # and severe obstacles; 20 the need's shortlist (none)
    with django_assert_num_queries(20):
        response = client.get(url)
    assert [row.candidate for row in response.context["ranking"].rows] == [first, second]
    # 1-8 as above, the kept result found: no order of the pool, no near misses, nothing
    # stored; 9 the candidates of the rows, 10-12 their skills, years and severe obstacles,
    # 13 the need's shortlist
    with django_assert_num_queries(13):
        response = client.get(url)
    assert [row.candidate for row in response.context["ranking"].rows] == [first, second]
