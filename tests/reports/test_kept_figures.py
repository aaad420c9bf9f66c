"""The dashboards' counts kept in the shared cache (focus.cache, namespace "figures"): served
again at the next visit, retired by a change made through a service, and kept apart by the
viewer's scope."""

import datetime

import pytest
from django.urls import reverse

from candidates.models import Candidate
from candidates.services import candidate_register
from catalog.models import Comune
from interviews.services import assessment_record
from matching.models import Entry
from matching.services import entry_move
from tests.factories import CandidateFactory, InterviewFactory
from tests.reports.programme_data import EXPECTED, EXPECTED_CENTRE, build_programme, shortlist_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(
    company, other_company, centre, other_centre, staff, django_capture_on_commit_callbacks
):
    """The dashboard's programme (programme_data), committed as a page would find it: its
    writes have retired the kept figures, and nothing is left to retire them again."""
    with django_capture_on_commit_callbacks(execute=True):
        return build_programme(
            company=company,
            other_company=other_company,
            centre=centre,
            other_centre=other_centre,
            staff=staff,
        )


def _funnel(client) -> dict:
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return {figure.key: figure.value for figure in response.context["figures"].funnel}


def _pathway_hired(client) -> int:
    return client.get(reverse("reports:dashboard")).context["pathway"].hired


def test_the_second_visit_serves_the_kept_counts_in_fewer_queries(
    login, admin, programme, django_assert_num_queries
):
    client = login(admin)
    # The first visit counts as an uncached one does (22 queries: tests/reports/
    # test_dashboard.py lists them) and keeps what it counted; with the database's cache, each
    # of the seven kept results is one read of the cache and its write (the count of the
    # cache's rows, a savepoint, the row's look-up, its insert, the savepoint's release), and
    # the candidates' counts are read from the cache the second time (the hires): 22 - 1 + 7
    # reads + 7 x 5 writes + 1 read = 64.
    with django_assert_num_queries(64):
        first = _funnel(client)
    # The second: the session, the user, the device of the second factor, the profiles'
    # names, the tranches, retention (3), the support actions' cost, who moved to ready (2),
    # the campaigns of the filter form: 12, and one cache read for each of the seven kept
    # results and the hires: 20.
    with django_assert_num_queries(20):
        second = _funnel(client)
    assert first == second == EXPECTED


def test_a_new_assessment_shows_in_the_next_visits_figures(
    login, admin, recruiter, programme, centre, django_capture_on_commit_callbacks
):
    client = login(admin)
    assert _funnel(client)["interviewed"] == EXPECTED["interviewed"]
    with django_capture_on_commit_callbacks(execute=True):
        interview = InterviewFactory(
            tranche=programme.tranche,
            candidate=CandidateFactory(centre=centre),
            recruiter=recruiter,
        )
    assert _funnel(client)["interviewed"] == EXPECTED["interviewed"]  # no assessment yet
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(interview=interview, actor=recruiter, employability="A")
    funnel = _funnel(client)
    assert (funnel["interviewed"], funnel["class_a"]) == (
        EXPECTED["interviewed"] + 1,
        EXPECTED["class_a"] + 1,
    )


def test_a_hire_shows_in_the_next_visits_funnel_and_pathway(
    login, admin, staff, programme, centre, django_capture_on_commit_callbacks
):
    client = login(admin)
    assert _funnel(client)["hired"] == EXPECTED["hired"]
    with django_capture_on_commit_callbacks(execute=True):
        entry = shortlist_entry(
            programme.assembly_need.shortlist,
            CandidateFactory(centre=centre),
            staff,
            Entry.Status.INTERVIEW_AGREED,
            through=(Entry.Status.INTERVIEW_REQUESTED, Entry.Status.INTERVIEW_AGREED),
        )
    with django_capture_on_commit_callbacks(execute=True):
        entry_move(
            entry=entry,
            to=Entry.Status.HIRED,
            actor=staff,
            contract="fixed_term",
            start_date=datetime.date(2027, 2, 1),
        )
    assert _funnel(client)["hired"] == EXPECTED["hired"] + 1
    assert _pathway_hired(client) == EXPECTED["hired"] + 1


def test_a_candidate_registered_shows_in_the_next_visits_figures(
    login, admin, caseworker, centre, programme, django_capture_on_commit_callbacks
):
    client = login(admin)
    assert _funnel(client)["registered"] == EXPECTED["registered"]
    person = Candidate(
        centre=centre,
        first_name="Amina",
        last_name="El Idrissi",
        sex="F",
        birth_date=datetime.date(1990, 4, 12),
        nationality="MA",
        residence_comune=Comune.objects.get(istat_code="016024"),
        italian_level="A2",
        phone="+39 347 1234567",
    )
    with django_capture_on_commit_callbacks(execute=True):
        candidate_register(candidate=person, actor=caseworker, consents={"programme": True})
    assert _funnel(client)["registered"] == EXPECTED["registered"] + 1


def test_one_centres_kept_figures_never_reach_another_centres_caseworker(
    login, caseworker, other_caseworker, programme, other_centre
):
    mine = _funnel(login(caseworker))
    assert mine == EXPECTED_CENTRE
    theirs = _funnel(login(other_caseworker))
    # The other centre's candidates only (programme_data: one registered, interviewed in
    # class A), not the first centre's kept counts.
    assert theirs["registered"] == EXPECTED["registered"] - EXPECTED_CENTRE["registered"]
    assert theirs["interviewed"] == EXPECTED["interviewed"] - EXPECTED_CENTRE["interviewed"]
    assert theirs != mine


def test_a_caseworker_never_reads_the_programmes_kept_figures(login, admin, caseworker, programme):
    assert _funnel(login(admin)) == EXPECTED
    assert _funnel(login(caseworker)) == EXPECTED_CENTRE
