"""The tranche's pick list of candidates: offered as staff type, never rendered whole."""

import pytest
from django.urls import reverse

from candidates.models import Candidate
from tests.factories import CandidateFactory, InterviewFactory, TrancheFactory

pytestmark = pytest.mark.django_db


def _offered(client, tranche, typed: str) -> list[str]:
    url = reverse("interviews:tranche_candidate_options", args=[tranche.pk])
    response = client.get(url, {"q": typed})
    assert response.status_code == 200
    return [option["text"] for option in response.json()["results"]]


def test_staff_are_offered_registered_candidates_not_yet_in_the_tranche(login, staff, centre):
    tranche = TrancheFactory()
    free = CandidateFactory(first_name="Amina", last_name="Rossetti", centre=centre)
    taken = CandidateFactory(first_name="Aldo", last_name="Rossetti", centre=centre)
    InterviewFactory(tranche=tranche, candidate=taken)
    CandidateFactory(
        first_name="Anna", last_name="Rossetti", centre=centre, status=Candidate.Status.DRAFT
    )

    offered = _offered(login(staff), tranche, "rossetti")

    assert offered == [f"{free} ({centre})"]


def test_the_tranche_page_renders_none_of_the_candidates_it_may_take(login, staff, centre):
    tranche = TrancheFactory()
    CandidateFactory(first_name="Amina", last_name="Rossetti", centre=centre)

    response = login(staff).get(tranche.get_absolute_url())

    assert response.status_code == 200
    assert "Rossetti" not in response.content.decode()


def test_a_candidate_typed_in_is_assigned_as_when_the_list_was_rendered(
    login, staff, recruiter, centre
):
    tranche = TrancheFactory()
    person = CandidateFactory(centre=centre)

    response = login(staff).post(
        tranche.get_absolute_url(),
        {
            "candidates": [person.pk],
            "recruiter": recruiter.pk,
            "first_at": "2026-12-10T09:00",
            "minutes_each": 45,
            "mode": "in_person",
        },
    )

    assert response.status_code == 302
    assert tranche.interviews.filter(candidate=person).exists()


def test_roles_that_do_not_plan_tranches_do_not_find_the_pick_list(login, caseworker, recruiter):
    tranche = TrancheFactory()
    url = reverse("interviews:tranche_candidate_options", args=[tranche.pk])

    assert login(caseworker).get(url, {"q": "ro"}).status_code == 404
    assert login(recruiter).get(url, {"q": "ro"}).status_code == 404
