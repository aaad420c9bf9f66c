import datetime

import pytest
from django.urls import reverse

from catalog.models import Comune, JobProfile
from companies.models import Need
from tests.factories import CompanyFactory, NeedFactory, SurveyCampaignFactory

DEMAND = reverse("companies:demand")


def figures(row) -> tuple:
    return (row.label, row.companies, row.needs, row.headcount)


def section(response, index: int) -> list[tuple]:
    """The rows of the overview's section `index`: 0 profile, 1 workplace, 2 campaign."""
    return [figures(row) for row in response.context["overview"].sections[index].rows]


@pytest.fixture
def demand(company, other_company):
    """Three companies, two campaigns, three profiles, two comuni; a cancelled need."""
    third = CompanyFactory(organisation__name="Fonderie Brembane S.r.l.")
    spring = SurveyCampaignFactory(name="Primavera 2026", opens_on=datetime.date(2026, 3, 1))
    autumn = SurveyCampaignFactory(name="Autunno 2026", opens_on=datetime.date(2026, 10, 1))
    assembly = JobProfile.objects.get(code="addetto-assemblaggio")
    forklift = JobProfile.objects.get(code="carrellista")
    welder = JobProfile.objects.get(code="addetto-saldatura")
    bergamo = Comune.objects.get(istat_code="016024")
    treviglio = Comune.objects.get(istat_code="016219")
    for need_company, campaign, profile, workplace, headcount, status in [
        (company, autumn, assembly, bergamo, 3, Need.Status.OPEN),
        (company, autumn, forklift, treviglio, 2, Need.Status.OPEN),
        (other_company, autumn, assembly, treviglio, 4, Need.Status.OPEN),
        (other_company, spring, assembly, bergamo, 1, Need.Status.FILLED),
        (third, spring, forklift, bergamo, 5, Need.Status.OPEN),
        (third, autumn, welder, bergamo, 7, Need.Status.CANCELLED),
    ]:
        NeedFactory(
            company=need_company,
            campaign=campaign,
            profile=profile,
            workplace=workplace,
            headcount=headcount,
            status=status,
        )
    return {"spring": spring, "autumn": autumn}


@pytest.mark.django_db
def test_overview_counts_companies_needs_and_people_without_cancelled_needs(
    login, english_pages, staff, demand
):
    response = login(staff).get(DEMAND)
    overview = response.context["overview"]
    assert (overview.total.companies, overview.total.needs, overview.total.headcount) == (3, 5, 15)
    assert section(response, 0) == [
        ("Assembly worker", 2, 3, 8),
        ("Forklift operator", 2, 2, 7),
    ]  # the welders' need is cancelled: no row
    assert section(response, 1) == [("Bergamo (BG)", 3, 3, 9), ("Treviglio (BG)", 2, 2, 6)]
    assert section(response, 2) == [("Autunno 2026", 2, 3, 9), ("Primavera 2026", 2, 2, 6)]


@pytest.mark.django_db
def test_overview_of_one_campaign(login, english_pages, staff, demand):
    response = login(staff).get(DEMAND, {"campaign": demand["autumn"].pk})
    overview = response.context["overview"]
    assert (overview.total.companies, overview.total.needs, overview.total.headcount) == (2, 3, 9)
    assert section(response, 0) == [("Assembly worker", 2, 2, 7), ("Forklift operator", 1, 1, 2)]
    assert section(response, 1) == [("Treviglio (BG)", 2, 2, 6), ("Bergamo (BG)", 1, 1, 3)]
    assert section(response, 2) == [("Autunno 2026", 2, 3, 9)]


@pytest.mark.django_db
@pytest.mark.parametrize("campaign", [None, "autumn"])
def test_every_figure_opens_a_list_of_exactly_the_needs_it_counts(login, admin, demand, campaign):
    client = login(admin)
    query = {"campaign": demand[campaign].pk} if campaign else {}
    overview = client.get(DEMAND, query).context["overview"]
    rows = [overview.total] + [row for section in overview.sections for row in section.rows]
    assert len(rows) > 1
    for row in rows:
        page = client.get(row.url).context["page"]
        needs = page.object_list
        assert page.paginator.count == row.needs, row.url
        assert len({need.company_id for need in needs}) == row.companies, row.url
        assert sum(need.headcount for need in needs) == row.headcount, row.url


@pytest.mark.django_db
def test_the_page_links_each_figure_and_draws_bars_relative_to_the_largest(
    login, english_pages, staff, demand
):
    response = login(staff).get(DEMAND)
    assembly = response.context["overview"].sections[0].rows[0]
    html = response.text
    assert html.count(f'href="{assembly.url.replace("&", "&amp;")}"') == 3
    assert "Assembly worker" in html
    assert 'data-width="100"' in html  # 8 assembly workers, the longest bar
    assert 'data-width="88"' in html  # 7 forklift operators


@pytest.mark.django_db
def test_comuni_beyond_the_top_20_are_summed_in_one_row(login, english_pages, staff):
    comuni = list(Comune.objects.local().order_by("istat_code")[:23])
    for rank, comune in enumerate(comuni[:20]):
        NeedFactory(workplace=comune, headcount=40 - rank)
    small = CompanyFactory()
    for comune in comuni[20:]:
        NeedFactory(company=small, workplace=comune, headcount=1)
    rows = login(staff).get(DEMAND).context["overview"].sections[1].rows
    assert [row.label for row in rows[:20]] == [str(comune) for comune in comuni[:20]]
    other = rows[20]
    # one company with needs in three small comuni is one company, not three
    assert figures(other) == ("3 other comuni", 1, 3, 3)
    assert other.url == ""
    assert len(rows) == 21


@pytest.mark.django_db
def test_overview_says_so_when_there_is_nothing_to_count(login, english_pages, staff):
    NeedFactory(status=Need.Status.CANCELLED)
    response = login(staff).get(DEMAND)
    assert response.context["overview"].total.needs == 0
    assert response.text.count("No needs to count yet.") == 3


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["company_hr", "caseworker", "recruiter"])
def test_only_staff_and_admins_see_the_demand(login, personas, role):
    assert login(personas[role]).get(DEMAND).status_code == 403


@pytest.mark.django_db
def test_staff_find_the_demand_in_the_menu(login, english_pages, staff, company_hr):
    assert 'data-nav="companies:demand"' in login(staff).get(reverse("reports:home")).text
    assert 'data-nav="companies:demand"' not in login(company_hr).get(reverse("reports:home")).text


@pytest.mark.django_db
def test_overview_runs_a_fixed_number_of_queries(login, staff, demand, django_assert_num_queries):
    client = login(staff)
    # session, user, their second factor's device, the totals, profiles grouped then their
    # names, the top comuni grouped then their names, the other comuni, campaigns grouped then
    # their names, the campaigns offered by the filter
    with django_assert_num_queries(12):
        client.get(DEMAND)
    for comune in Comune.objects.local().order_by("istat_code")[:30]:
        NeedFactory(campaign=demand["autumn"], workplace=comune)
    # the same with 30 more needs in 30 more comuni, plus the campaign chosen in the filter
    with django_assert_num_queries(13):
        client.get(DEMAND, {"campaign": demand["autumn"].pk})
