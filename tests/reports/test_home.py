import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from tests.factories import CandidateFactory
from training.services import support_action_propose


def _figures(response):
    return {str(figure.label): figure.value for figure in response.context["figures"]}


@pytest.mark.django_db
def test_caseworker_home_counts_only_their_centre(login, caseworker, centre, other_centre):
    CandidateFactory.create_batch(3, centre=centre, status="registered")
    CandidateFactory.create_batch(2, centre=centre, status="placed")
    CandidateFactory.create_batch(4, centre=other_centre)
    response = login(caseworker).get(reverse("reports:home"))
    figures = _figures(response)
    assert figures["Candidati"] == Candidate.objects.filter(centre=centre).count() == 5
    assert figures["Inserito al lavoro"] == 2
    assert "Diakonia Bergamo" in response.text


@pytest.mark.django_db
def test_admin_home_counts_users_by_role(login, personas):
    figures = _figures(login(personas["admin"]).get(reverse("reports:home")))
    assert figures["Utenti attivi"] == 7
    assert figures["Operatore sociale"] == 2
    assert figures["HR aziendale"] == 2


@pytest.mark.django_db
def test_company_hr_home_shows_their_company_colleagues(login, company_hr, other_company_hr):
    response = login(company_hr).get(reverse("reports:home"))
    assert list(_figures(response).values()) == [1]
    assert "Meccanica Orobica" in response.text
    assert "Plastiche Serio" not in response.text


@pytest.mark.django_db
def test_every_home_figure_links_to_the_list_it_counts(login, staff, centre):
    CandidateFactory.create_batch(2, centre=centre, status="suspended")
    client = login(staff)
    for figure in client.get(reverse("reports:home")).context["figures"]:
        if "status=" in figure.url:
            listed = client.get(figure.url).context["page"].paginator.count
            assert listed == figure.value, figure.label


@pytest.mark.django_db
def test_admin_home_runs_a_fixed_number_of_queries(login, personas, django_assert_num_queries):
    client = login(personas["admin"])
    # session, user with organisation, their second factor's device, users by role, organisations,
    # companies, candidates by status
    with django_assert_num_queries(7):
        client.get(reverse("reports:home"))


@pytest.mark.django_db
def test_the_caseworker_home_shows_what_support_is_due_this_week_and_links_to_it(
    login, caseworker, candidate, other_candidate, other_caseworker
):
    today = timezone.localdate()
    for days, who, whose in [
        (-2, candidate, caseworker),
        (0, candidate, caseworker),
        (40, candidate, caseworker),
        (0, other_candidate, other_caseworker),
    ]:
        support_action_propose(
            candidate=who,
            kind="documents",
            actor=whose,
            due_on=today + datetime.timedelta(days=days),
        )
    client = login(caseworker)
    figures = {str(f.label): f for f in client.get(reverse("reports:home")).context["figures"]}
    due, open_ = (
        figures["Azioni di supporto in scadenza questa settimana"],
        figures["Azioni di supporto aperte"],
    )
    assert (due.value, open_.value) == (2, 3)
    for figure in (due, open_):
        assert client.get(figure.url).context["page"].paginator.count == figure.value
