"""The tranches' figures kept in the shared cache (interviews.selectors.tranches_figures):
served again at the next visit of the tranche list, retired by a new assessment."""

import pytest
from django.urls import reverse

from interviews.services import assessment_record
from tests.factories import CandidateFactory, InterviewFactory, TrancheFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviews(recruiter, centre, django_capture_on_commit_callbacks):
    """Three interviews of one tranche, one of them assessed, committed as a page finds them."""
    with django_capture_on_commit_callbacks(execute=True):
        tranche = TrancheFactory(name="Prima tranche")
        made = [
            InterviewFactory(
                tranche=tranche,
                candidate=CandidateFactory(centre=centre, sex="F"),
                recruiter=recruiter,
            )
            for _ in range(3)
        ]
        assessment_record(interview=made[0], actor=recruiter, employability="B")
    return made


def _figures(client):
    response = client.get(reverse("interviews:tranche_list"))
    assert response.status_code == 200
    (figures,) = response.context["figures"]
    return figures


def test_the_tranche_lists_second_visit_serves_the_kept_figures_in_fewer_queries(
    login, staff, interviews, django_assert_num_queries
):
    client = login(staff)
    # The session, the user, the device of the second factor, the count for the paginator,
    # the page of tranches; then the page's figures are not kept yet: one cache read, the
    # counts with the splits and the obstacles by tranche, and the cache's write (the count
    # of its rows, a savepoint, the row's look-up, its insert, the savepoint's release).
    with django_assert_num_queries(13):
        first = _figures(client)
    # The same five, and one cache read for the page's figures.
    with django_assert_num_queries(6):
        second = _figures(client)
    assert (
        (first.assessed, first.planned.value) == (second.assessed, second.planned.value) == (1, 3)
    )


def test_a_new_assessment_shows_in_the_next_visits_tranche_figures(
    login, staff, recruiter, interviews, django_capture_on_commit_callbacks
):
    client = login(staff)
    before = _figures(client)
    assert (before.assessed, [figure.value for figure in before.classes]) == (1, [0, 1, 0])
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(interview=interviews[1], actor=recruiter, employability="A")
    after = _figures(client)
    assert (after.assessed, [figure.value for figure in after.classes]) == (2, [1, 1, 0])
    _label, women = after.by_sex[0]  # women first: every candidate here is a woman
    assert [figure.value for figure in women] == [1, 1, 0]
