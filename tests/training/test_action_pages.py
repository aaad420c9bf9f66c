"""The support action pages: proposing one from the candidate's page, moving it on, and the
list of what is open and due."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Comune
from interviews.models import Obstacle
from interviews.services import ObstacleInput
from tests.arrange import recorded_assessment
from tests.factories import CandidateFactory
from training.models import FundingChannel, SupportAction
from training.services import support_action_move, support_action_propose


@pytest.fixture
def obstacle(candidate, recruiter) -> Obstacle:
    assessment = recorded_assessment(
        candidate, recruiter, ObstacleInput("transport", 3, "Nessun autobus prima delle 6")
    )
    return assessment.obstacles.get()


def _form(obstacle, caseworker, **changes):
    return {
        "kind": "transport_pass",
        "obstacles": [obstacle.pk],
        "owner": caseworker.pk,
        "provider": "ATB Bergamo",
        "starts_on": "2027-02-01",
        "due_on": "2027-02-28",
        "cost": "45.00",
        "note": "Abbonamento mensile",
        **changes,
    }


@pytest.mark.django_db
def test_a_caseworker_proposes_an_action_from_the_candidates_page(
    login, caseworker, candidate, obstacle
):
    client = login(caseworker)
    page = client.get(candidate.get_absolute_url()).text
    create = reverse("training:action_create", args=[candidate.pk])
    assert create in page  # "Propose an action" on the candidate's page
    response = client.post(create, _form(obstacle, caseworker), follow=True)
    action = SupportAction.objects.get()
    assert response.redirect_chain[-1][0] == action.get_absolute_url()
    assert "Azione di supporto proposta" in response.text
    assert (action.kind, action.owner, action.provider) == (
        "transport_pass",
        caseworker,
        "ATB Bergamo",
    )
    assert list(action.obstacles.all()) == [obstacle]
    assert action.events.get().actor == caseworker


@pytest.mark.django_db
def test_a_wrong_date_keeps_what_was_typed_and_saves_nothing(
    login, caseworker, candidate, obstacle
):
    response = login(caseworker).post(
        reverse("training:action_create", args=[candidate.pk]),
        _form(obstacle, caseworker, due_on="2027-01-15"),
    )
    assert response.status_code == 200
    assert "non può scadere prima di iniziare" in response.text
    assert 'value="ATB Bergamo"' in response.text
    assert 'value="Abbonamento mensile"' in response.text
    assert not SupportAction.objects.exists()


@pytest.mark.django_db
def test_the_form_offers_only_the_candidates_open_obstacles_and_people_who_may_follow_them(
    login, caseworker, other_caseworker, candidate, obstacle, staff
):
    form = login(caseworker).get(reverse("training:action_create", args=[candidate.pk]))
    choices = form.context["form"].fields
    assert list(choices["obstacles"].queryset) == [obstacle]
    owners = set(choices["owner"].queryset)
    assert {caseworker, staff} <= owners
    assert other_caseworker not in owners


@pytest.mark.django_db
def test_an_action_is_taken_to_done_step_by_step_and_a_double_submit_changes_nothing(
    login, caseworker, candidate, obstacle
):
    action = support_action_propose(
        candidate=candidate, kind="company_shuttle", actor=caseworker, obstacles=[obstacle]
    )
    client = login(caseworker)
    move = reverse("training:action_move", args=[action.pk])
    for step in ("agreed", "in_progress"):
        client.post(move, {"to": step})
    page = client.get(action.get_absolute_url()).text
    assert 'data-testid="move-done"' in page
    done = {"to": "done", "outcome": "Navetta delle 5:30", "finished_on": "2027-03-01"}
    client.post(move, done)
    again = client.post(move, done, follow=True)
    assert "non può passare" in again.text
    action.refresh_from_db()
    obstacle.refresh_from_db()
    assert (action.status, action.outcome) == ("done", "Navetta delle 5:30")
    assert obstacle.resolved_on == datetime.date(2027, 3, 1)
    assert list(action.events.values_list("to_status", flat=True)) == [
        "proposed",
        "agreed",
        "in_progress",
        "done",
    ]
    assert 'data-testid="moves"' not in again.text  # finished: no more steps


@pytest.mark.django_db
def test_ending_an_action_without_saying_why_is_refused(login, caseworker, candidate):
    action = support_action_propose(candidate=candidate, kind="housing", actor=caseworker)
    response = login(caseworker).post(
        reverse("training:action_move", args=[action.pk]), {"to": "cancelled"}, follow=True
    )
    assert "l&#x27;esito, o perché si è interrotta" in response.text
    action.refresh_from_db()
    assert action.status == "proposed"


@pytest.mark.django_db
def test_recruiters_see_an_action_but_cannot_move_it(login, recruiter, candidate, obstacle, staff):
    action = support_action_propose(candidate=candidate, kind="transport", actor=staff)
    page = login(recruiter).get(action.get_absolute_url()).text
    assert 'data-testid="status"' in page
    assert 'data-testid="moves"' not in page


@pytest.mark.django_db
def test_the_list_shows_open_actions_and_what_is_due_this_week(
    login, caseworker, candidate, other_candidate, other_caseworker
):
    today = timezone.localdate()
    overdue = support_action_propose(
        candidate=candidate,
        kind="documents",
        actor=caseworker,
        due_on=today - datetime.timedelta(days=3),
    )
    later = support_action_propose(
        candidate=candidate,
        kind="housing",
        actor=caseworker,
        due_on=today + datetime.timedelta(days=30),
    )
    cancelled = support_action_propose(candidate=candidate, kind="bicycle", actor=caseworker)
    support_action_move(action=cancelled, to="cancelled", actor=caseworker, note="Doppione")
    support_action_propose(candidate=other_candidate, kind="childcare", actor=other_caseworker)
    client = login(caseworker)

    def listed(**query):
        page = client.get(reverse("training:action_list"), query)
        return [action.pk for action in page.context["page"]], page.text

    shown, html = listed()
    assert shown == [overdue.pk, later.pk]  # open ones, the next due first
    assert "in ritardo" in html
    assert listed(show="due")[0] == [overdue.pk]
    assert listed(show="all")[0] == [overdue.pk, later.pk, cancelled.pk]
    assert listed(kind="housing")[0] == [later.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 35])
def test_the_list_runs_a_fixed_number_of_queries(
    login, caseworker, centre, django_assert_num_queries, count
):
    for _ in range(count):
        candidate = CandidateFactory(centre=centre, caseworker=caseworker)
        support_action_propose(candidate=candidate, kind="transport", actor=caseworker)
    client = login(caseworker)
    # session, user with organisation, the funding channels of the filter form, the count and
    # cost of the listed actions (one aggregate, which the paginator uses), the page of
    # actions with their owners, partners and funding channels (sorted by candidate), the
    # page's candidates with their centres (by key)
    with django_assert_num_queries(6):
        response = client.get(reverse("training:action_list"), {"sort": "candidate"})
    assert len(response.context["page"]) == min(count, 30)


@pytest.mark.django_db
def test_an_open_action_is_changed_from_its_page_and_a_finished_one_is_not(
    login, caseworker, candidate, obstacle
):
    action = support_action_propose(candidate=candidate, kind="transport", actor=caseworker)
    client = login(caseworker)
    edit = reverse("training:action_update", args=[action.pk])
    assert edit in client.get(action.get_absolute_url()).text
    sarnico = Comune.objects.get(istat_code="016193")
    response = client.post(
        edit,
        _form(obstacle, caseworker, kind="company_shuttle", destination=sarnico.pk, reach_km=8),
    )
    assert response.url == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.kind, action.destination, action.reach_km) == ("company_shuttle", sarnico, 8)
    assert list(action.obstacles.all()) == [obstacle]
    assert action.events.count() == 1  # a change of details is not a step

    support_action_move(action=action, to="cancelled", actor=caseworker, note="Non serve più")
    page = client.get(action.get_absolute_url()).text
    assert edit not in page
    refused = client.post(edit, _form(obstacle, caseworker, note="dopo"), follow=True)
    assert "non può più essere modificata" in refused.text
    action.refresh_from_db()
    assert action.note == "Abbonamento mensile"  # as saved before it was cancelled


@pytest.mark.django_db
def test_the_list_filters_by_status_funding_and_proposal_date_and_sums_the_cost(
    login, caseworker, candidate
):
    gol = FundingChannel.objects.get(code="gol-2")

    def propose(kind, **details):
        return support_action_propose(candidate=candidate, kind=kind, actor=caseworker, **details)

    bus = propose("transport_pass", cost=Decimal("45.50"), funding=gol)
    course = propose("italian_course", cost=Decimal("1200"), funding=gol)
    documents = propose("documents", cost=Decimal("16"))
    for step in ("agreed", "in_progress", "done"):
        support_action_move(action=bus, to=step, actor=caseworker, outcome="Consegnato")
    last_month = timezone.now() - datetime.timedelta(days=40)
    SupportAction.objects.filter(pk=course.pk).update(created_at=last_month)
    client = login(caseworker)

    def listed(*query):
        response = client.get(reverse("training:action_list"), list(query))
        return {action.pk for action in response.context["page"]}, response

    assert listed(("status", "done"))[0] == {bus.pk}  # a status shows finished ones too
    assert listed(("status", "done"), ("status", "proposed"))[0] == {
        bus.pk,
        course.pk,
        documents.pk,
    }
    # The form sends "open actions" with the statuses ticked: the statuses say which.
    assert listed(("show", "open"), ("status", "done"))[0] == {bus.pk}
    assert listed(("show", "due"), ("status", "done"))[0] == set()  # not due this week
    assert listed(("show", "all"), ("funding", gol.pk))[0] == {bus.pk, course.pk}
    assert listed(("show", "all"), ("funding", "none"))[0] == {documents.pk}
    this_month = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert listed(("show", "all"), ("date_from", this_month))[0] == {bus.pk, documents.pk}
    _shown, response = listed(("show", "all"), ("funding", gol.pk))
    assert response.context["cost"] == Decimal("1245.50")
    assert "1.245,50 € in tutto" in response.text
    assert 'data-testid="more-filters"' in response.text
    assert "Finanziamento" in response.text
