"""The dashboard's pathway figures: support actions by kind and status, their cost per
funding channel, and the hires after a support action, each linked to the list it counts."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from matching.models import PipelineEvent
from reports.figures import Period, pathway_figures
from tests.factories import CandidateFactory
from tests.reports.support_data import (
    EXPECTED_BY_KIND,
    EXPECTED_CENTRE_COSTS,
    EXPECTED_COSTS,
    add_support,
    support,
)
from training.models import FundingChannel, SupportAction
from training.selectors import NO_FUNDING


@pytest.fixture
def programme(programme, staff):
    programme.actions = add_support(programme, staff=staff)
    return programme


def _listed(client, url: str) -> tuple[int, Decimal]:
    """How many actions (or candidates) the list at `url` holds, over all its pages, and the
    cost of the actions it lists."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count, response.context.get("cost") or Decimal(0)


def _by_kind(pathway) -> dict:
    return {
        (row.kind, cell_status): cell.value
        for row in pathway.kinds
        for (cell_status, _label), cell in zip(pathway.statuses, row.cells, strict=True)
        if cell.value
    }


def _costs(pathway) -> dict:
    codes = dict(FundingChannel.objects.values_list("pk", "code"))
    return {
        codes.get(row.funding_id): (row.actions, row.committed, row.spent)
        for row in pathway.funding
    }


@pytest.mark.django_db
def test_support_actions_by_kind_and_status_equal_the_database(admin, programme):
    pathway = pathway_figures(admin)
    database = Counter(SupportAction.objects.values_list("kind", "status"))
    assert _by_kind(pathway) == EXPECTED_BY_KIND == dict(database)
    assert pathway.total.value == SupportAction.objects.count() == 7
    totals = {
        status: cell.value
        for (status, _l), cell in zip(pathway.statuses, pathway.status_totals, strict=True)
    }
    assert totals == {
        "proposed": 1,
        "agreed": 1,
        "in_progress": 1,
        "done": 2,
        "not_achieved": 1,
        "cancelled": 1,
    }
    rows = {row.kind: row.total.value for row in pathway.kinds}
    assert rows["transport_pass"] == 2
    assert "housing" not in rows  # only the kinds that have actions


@pytest.mark.django_db
def test_every_cell_of_the_kind_and_status_table_lists_exactly_what_it_counts(
    login, admin, programme
):
    client = login(admin)
    pathway = pathway_figures(admin)
    cells = [cell for row in pathway.kinds for cell in (*row.cells, row.total)]
    for cell in [*cells, *pathway.status_totals, pathway.total]:
        assert _listed(client, cell.url)[0] == cell.value, cell.url


@pytest.mark.django_db
def test_costs_per_funding_channel_leave_out_cancelled_actions(admin, programme):
    pathway = pathway_figures(admin)
    assert _costs(pathway) == EXPECTED_COSTS
    assert pathway.funding[-1].funding_id == NO_FUNDING  # not decided comes last
    total = pathway.funding_total
    assert (total.actions, total.committed, total.spent, total.cost) == (
        6,
        Decimal("1260"),
        Decimal("170"),
        Decimal("1430"),
    )
    not_cancelled = SupportAction.objects.exclude(status="cancelled")
    assert total.cost == sum(cost for cost in not_cancelled.values_list("cost", flat=True) if cost)


@pytest.mark.django_db
def test_every_cost_links_to_the_actions_it_adds_up(login, admin, programme):
    client = login(admin)
    pathway = pathway_figures(admin)
    for row in [*pathway.funding, pathway.funding_total]:
        assert _listed(client, row.actions_url) == (row.actions, row.cost), row.name
        assert _listed(client, row.cost_url)[1] == row.cost, row.name
        assert _listed(client, row.committed_url)[1] == row.committed, row.name
        assert _listed(client, row.spent_url)[1] == row.spent, row.name


@pytest.mark.django_db
def test_hired_after_a_support_action_counts_anna_and_links_to_her(login, admin, programme):
    client = login(admin)
    figure = pathway_figures(admin).hired_after_support
    assert figure.value == 1
    response = client.get(figure.url)
    assert [candidate.pk for candidate in response.context["page"]] == [
        programme.candidates["anna"].pk
    ]


@pytest.mark.django_db
def test_an_action_done_after_the_hire_does_not_count(login, admin, programme):
    """Anna's hire is moved to before her bus pass was done; Omar's shuttle did not work out."""
    anna = programme.candidates["anna"]
    two_weeks_ago = timezone.now() - datetime.timedelta(days=14)
    PipelineEvent.objects.filter(entry__candidate=anna, to_status="hired").update(at=two_weeks_ago)
    pathway = pathway_figures(admin)
    assert (pathway.hired_after_support.value, pathway.hired) == (0, 1)
    assert _listed(login(admin), pathway.hired_after_support.url)[0] == 0


@pytest.mark.django_db
def test_the_period_restricts_actions_by_the_day_they_were_proposed(login, admin, programme):
    last_year = timezone.now() - datetime.timedelta(days=400)
    SupportAction.objects.filter(pk=programme.actions["bruna_course"].pk).update(
        created_at=last_year
    )
    start = timezone.localdate() - datetime.timedelta(days=30)
    client = login(admin)
    response = client.get(reverse("reports:dashboard"), {"date_from": start.isoformat()})
    pathway = response.context["pathway"]
    assert pathway.total.value == 6
    assert ("italian_course", "in_progress") not in _by_kind(pathway)
    assert "fse-plus" not in _costs(pathway)  # the course was proposed before, the rest cancelled
    assert _listed(client, pathway.total.url)[0] == 6
    assert _listed(client, pathway.funding_total.actions_url)[1] == pathway.funding_total.cost
    assert pathway.hired_after_support.value == 1


@pytest.mark.django_db
def test_the_dashboard_shows_the_pathway_in_italian(login, admin, programme):
    response = login(admin).get(reverse("reports:dashboard"))
    html, pathway = response.text, response.context["pathway"]
    for row in pathway.kinds:  # every number that is not zero is the link to its list
        for cell in [*row.cells, row.total]:
            assert (f'href="{escape(cell.url)}"' in html) == bool(cell.value), cell.url
    for row in pathway.funding:
        assert f'href="{escape(row.committed_url)}"' in html, row.name
    with translation.override("it"):  # the labels as translated, and as HTML escapes them
        assert escape(gettext("Support actions and placements")) in html
        assert escape(gettext("Hired after a support action")) in html
    assert "Assunto dopo un&#x27;azione di supporto" in html
    assert "Candidati assunti in tutto: 1." in html
    assert 'data-testid="support-by-kind"' in html
    assert "1.430,00 €" in html  # the total cost, as Italians write it
    assert "Fondi propri della Caritas / Diakonia" in html
    assert reverse("training:action_list") in html


@pytest.mark.django_db
def test_a_caseworker_sees_the_support_of_their_centre_only(login, caseworker, programme):
    client = login(caseworker)
    pathway = client.get(reverse("reports:dashboard")).context["pathway"]
    assert _costs(pathway) == EXPECTED_CENTRE_COSTS
    assert ("company_shuttle", "not_achieved") not in _by_kind(pathway)  # Omar's
    assert pathway.total.value == 6
    assert pathway.hired_after_support.value == 1
    for row in [*pathway.funding, pathway.funding_total]:
        assert _listed(client, row.actions_url) == (row.actions, row.cost), row.name
    assert _listed(client, pathway.total.url)[0] == 6


@pytest.mark.django_db
def test_the_other_centres_caseworker_sees_omars_shuttle_only(login, other_caseworker, programme):
    pathway = login(other_caseworker).get(reverse("reports:dashboard")).context["pathway"]
    assert _by_kind(pathway) == {("company_shuttle", "not_achieved"): 1}
    assert (pathway.hired_after_support.value, pathway.hired) == (0, 0)


@pytest.mark.django_db
def test_company_hr_see_no_support_figures(login, company_hr, programme):
    response = login(company_hr).get(reverse("reports:dashboard"))
    assert "pathway" not in response.context
    assert pathway_figures(company_hr) is None
    assert 'data-testid="pathway"' not in response.text
    assert reverse("training:action_list") not in response.text


@pytest.mark.django_db
def test_the_candidate_list_offers_the_hired_after_a_support_action(login, staff, programme):
    html = login(staff).get(reverse("candidates:list")).text
    assert 'value="hired_after_support"' in html
    assert "Assunto dopo un&#x27;azione di supporto" in html


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 12])
@pytest.mark.parametrize("persona", ["admin", "caseworker"])
def test_pathway_figures_take_seven_queries_however_many_actions(
    personas, programme, centre, staff, more, persona, django_assert_num_queries
):
    for number in range(more):
        candidate = CandidateFactory(centre=centre)
        status = ("proposed", "done", "cancelled")[number % 3]
        support(candidate, "care", status, staff, cost=Decimal(10), funding="gol-2")
    # actions by kind and status; actions and cost by funding channel; the hires (after a
    # support action, after a course); courses by status; their enrolments grouped; for
    # the programme's people, who moved to ready by profile and in all (a caseworker may not
    # read the gap: five queries)
    with django_assert_num_queries(7 if persona == "admin" else 5):
        pathway = pathway_figures(personas[persona], Period())
    assert pathway.total.value == (7 if persona == "admin" else 6) + more
