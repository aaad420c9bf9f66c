import pytest
from django.urls import reverse

from tests.factories import CandidateFactory


@pytest.mark.django_db
def test_caseworker_lists_only_the_candidates_of_their_centre(
    login, caseworker, candidate, other_candidate
):
    page = login(caseworker).get(reverse("candidates:list")).context["page"]
    assert list(page) == [candidate]


@pytest.mark.django_db
def test_caseworker_of_another_centre_gets_404(login, other_caseworker, candidate):
    response = login(other_caseworker).get(candidate.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.django_db
def test_staff_see_every_centre(login, staff, candidate, other_candidate):
    page = login(staff).get(reverse("candidates:list")).context["page"]
    assert set(page) == {candidate, other_candidate}


@pytest.mark.django_db
def test_candidate_list_filters_by_status(login, caseworker, centre):
    placed = CandidateFactory(centre=centre, status="placed")
    CandidateFactory(centre=centre, status="registered")
    page = login(caseworker).get(reverse("candidates:list"), {"status": "placed"}).context["page"]
    assert list(page) == [placed]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_candidate_list_runs_a_fixed_number_of_queries(
    login, caseworker, centre, django_assert_num_queries, size
):
    CandidateFactory.create_batch(size, centre=centre, caseworker=caseworker)
    client = login(caseworker)
    # session, user with organisation, count for the paginator, the profile and
    # suitable-profile choices of the filters (the comuni are asked for as the user types),
    # the page with centre, caseworker and comune (sorted by comune)
    with django_assert_num_queries(6):
        response = client.get(reverse("candidates:list"), {"sort": "comune"})
    assert len(response.context["page"]) == min(size, 25)
