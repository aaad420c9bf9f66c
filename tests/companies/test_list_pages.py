"""The demand side's lists (companies, campaigns, needs, a campaign's needs) as they page,
sort and search, and keep to the user's scope. The query pins at two sizes are beside the
other tests of each page (test_companies.py, test_campaigns.py, test_needs.py)."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import User
from catalog.models import Comune, JobProfile
from companies.models import Company
from tests.factories import CompanyFactory, NeedFactory, SurveyCampaignFactory, UserFactory

COMPANIES = reverse("companies:list")
CAMPAIGNS = reverse("companies:campaign_list")
NEEDS = reverse("companies:need_list")

pytestmark = pytest.mark.django_db


def _shown(response) -> list:
    return list(response.context["page"])


def test_companies_sort_by_their_hr_users_and_by_comune(login, staff):
    treviglio = Comune.objects.get(istat_code="016219")
    alone = CompanyFactory(organisation__name="Alfa Meccanica S.r.l.")
    busy = CompanyFactory(organisation__name="Beta Plastica S.r.l.", comune=treviglio)
    for _ in range(2):
        UserFactory(role=User.Role.COMPANY_HR, organisation=busy.organisation)
    client = login(staff)
    assert _shown(client.get(COMPANIES)) == [alone, busy]  # by name
    assert _shown(client.get(COMPANIES, {"sort": "-hr"})) == [busy, alone]
    assert _shown(client.get(COMPANIES, {"sort": "comune"})) == [alone, busy]  # Bergamo first
    assert _shown(client.get(COMPANIES, {"sort": "-comune"})) == [busy, alone]
    assert _shown(client.get(COMPANIES, {"sort": "hr_users__gt"})) == [alone, busy]


def test_companies_page_by_number_and_keep_the_search(login, staff):
    companies = [CompanyFactory(organisation__name=f"Officina {n:02d} S.r.l.") for n in range(27)]
    CompanyFactory(organisation__name="Tessitura Seriana S.p.A.")
    client = login(staff)
    second = client.get(COMPANIES, {"q": "officina", "page": "2"})
    assert _shown(second) == companies[25:]
    assert 'href="?q=officina&amp;page=1"' in second.text


def test_company_hr_do_not_list_companies(login, company_hr):
    assert login(company_hr).get(COMPANIES).status_code == 403


def test_the_open_campaign_comes_first_even_before_newer_ones(login, staff):
    older_open = SurveyCampaignFactory(name="Rilevazione 2026", opens_on=datetime.date(2026, 3, 1))
    newer_draft = SurveyCampaignFactory(
        name="Rilevazione 2027",
        status="draft",
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
    )
    closed = SurveyCampaignFactory(
        name="Rilevazione 2021",
        status="closed",
        opens_on=datetime.date(2021, 3, 1),
        closes_on=datetime.date(2021, 6, 30),
    )
    client = login(staff)
    assert _shown(client.get(CAMPAIGNS)) == [older_open, newer_draft, closed]
    assert _shown(client.get(CAMPAIGNS, {"sort": "-period"})) == [newer_draft, older_open, closed]
    assert _shown(client.get(CAMPAIGNS, {"sort": "name"})) == [closed, older_open, newer_draft]
    assert _shown(client.get(CAMPAIGNS, {"sort": "status__in"})) == [
        older_open,
        newer_draft,
        closed,
    ]


def test_campaigns_sort_by_their_needs_and_the_search_narrows_them(login, staff, company):
    few, many = (
        SurveyCampaignFactory(name="Rilevazione A"),
        SurveyCampaignFactory(name="Sondaggio B"),
    )
    NeedFactory(company=company, campaign=few)
    NeedFactory.create_batch(3, campaign=many)
    client = login(staff)
    assert _shown(client.get(CAMPAIGNS, {"sort": "-needs"})) == [many, few]
    assert _shown(client.get(CAMPAIGNS, {"sort": "needs"})) == [few, many]
    assert _shown(client.get(CAMPAIGNS, {"q": "sondaggio"})) == [many]


def test_campaigns_page_by_number(login, staff):
    for year in range(2000, 2030):
        SurveyCampaignFactory(name=f"Rilevazione {year}", status="closed")
    second = login(staff).get(CAMPAIGNS, {"sort": "name", "page": "2"})
    assert [c.name for c in _shown(second)] == [f"Rilevazione {y}" for y in range(2025, 2030)]


def test_company_hr_count_and_sort_only_their_own_needs(login, company_hr, company):
    campaign = SurveyCampaignFactory()
    NeedFactory(company=company, campaign=campaign, headcount=1)
    NeedFactory.create_batch(4, campaign=campaign, headcount=5)
    page = login(company_hr).get(CAMPAIGNS, {"sort": "-people"}).context["page"]
    (row,) = page
    assert (row.need_count, row.headcount) == (1, 1)


@pytest.mark.parametrize(
    ("role", "shown"), [("admin", True), ("staff", True), ("company_hr", False)]
)
def test_the_campaigns_companies_column_shows_to_those_who_may_list_companies(
    login, personas, company, other_company, role, shown
):
    campaign = SurveyCampaignFactory(name="Rilevazione 2026")
    NeedFactory(company=company, campaign=campaign)
    NeedFactory(company=other_company, campaign=campaign)
    html = login(personas[role]).get(CAMPAIGNS).text
    table = re.search(r'<table[^>]*data-testid="campaigns".*?</table>', html, re.DOTALL).group()
    assert ("Aziende" in table) is shown
    # the campaign's row: name, period, status, [companies], needs, people needed
    assert table.count("<td") == (6 if shown else 5)


def test_the_campaigns_companies_column_is_the_policys_answer_not_the_roles(
    login, staff, company, monkeypatch
):
    NeedFactory(company=company, campaign=SurveyCampaignFactory(name="Rilevazione 2026"))
    permits = Company.permits
    monkeypatch.setattr(
        Company,
        "permits",
        lambda user, action, obj=None: action != "list" and permits(user, action, obj),
    )
    html = login(staff).get(CAMPAIGNS).text
    table = re.search(r'<table[^>]*data-testid="campaigns".*?</table>', html, re.DOTALL).group()
    assert "Aziende" not in table


def test_needs_sort_by_people_needed_and_by_profile(login, staff, company):
    forklift = JobProfile.objects.get(code="carrellista")
    assembly = NeedFactory(company=company, headcount=2)
    drivers = NeedFactory(company=company, headcount=7, profile=forklift)
    client = login(staff)
    assert _shown(client.get(NEEDS, {"sort": "-people"})) == [drivers, assembly]
    assert _shown(client.get(NEEDS, {"sort": "people"})) == [assembly, drivers]
    # by the profile's name, the last first: Carrellista, then Addetto assemblaggio
    assert _shown(client.get(NEEDS, {"sort": "-profile"})) == [drivers, assembly]
    html = client.get(NEEDS, {"sort": "-people"}).text
    assert 'aria-sort="descending"' in html


def test_needs_page_by_number_and_the_search_keeps_to_the_users_company(
    login, company_hr, company, other_company
):
    mine = NeedFactory.create_batch(27, company=company)
    NeedFactory(company=other_company)
    client = login(company_hr)
    second = client.get(NEEDS, {"page": "2"})
    assert {need.pk for need in _shown(second)} <= {need.pk for need in mine}
    assert second.context["page"].paginator.count == 27
    assert len(_shown(second)) == 2
    assert _shown(client.get(NEEDS, {"q": other_company.name})) == []


def test_a_campaigns_needs_page_by_number_and_sort(login, staff, company, other_company):
    campaign = SurveyCampaignFactory()
    NeedFactory.create_batch(26, campaign=campaign, headcount=1)
    biggest = NeedFactory(company=other_company, campaign=campaign, headcount=9)
    client = login(staff)
    first = client.get(campaign.get_absolute_url(), {"sort": "-people"})
    assert _shown(first)[0] == biggest
    needs = {figure.key: figure.value for figure in first.context["summary"]}["needs"]
    assert needs == 27  # the figures count them all
    second = client.get(campaign.get_absolute_url(), {"page": "2"})
    assert len(_shown(second)) == 2
    assert 'data-testid="pagination"' in second.text


def test_company_hr_page_through_their_own_needs_of_a_campaign_only(login, company_hr, company):
    campaign = SurveyCampaignFactory()
    mine = NeedFactory(company=company, campaign=campaign)
    NeedFactory.create_batch(30, campaign=campaign)
    response = login(company_hr).get(campaign.get_absolute_url(), {"sort": "company"})
    assert _shown(response) == [mine]
    assert 'data-testid="pagination"' not in response.text


def test_the_company_comune_filter_renders_only_the_chosen_comune_and_lists_its_companies(
    login, staff
):
    treviglio = Comune.objects.get(istat_code="016219")
    there = CompanyFactory(comune=treviglio)
    CompanyFactory()  # in Bergamo
    client = login(staff)
    page = client.get(COMPANIES)
    assert 'data-picker-source="/companies/comuni/options/"' in page.text
    assert ">Bergamo (BG)<" not in page.text  # no comune is rendered unasked

    chosen = client.get(COMPANIES, {"comune": treviglio.pk})

    assert _shown(chosen) == [there]
    assert f'<option value="{treviglio.pk}" selected>Treviglio (BG)</option>' in chosen.text


def test_the_company_comune_options_answer_only_the_comuni_of_some_company(login, staff):
    CompanyFactory(comune=Comune.objects.get(istat_code="016219"))
    client = login(staff)
    options = reverse("companies:comune_options")
    assert [row["text"] for row in client.get(options, {"q": "trevi"}).json()["results"]] == [
        "Treviglio (BG)"
    ]
    assert client.get(options, {"q": "sarnico"}).json()["results"] == []  # no company there


def test_the_comuni_of_companies_are_not_offered_to_a_caseworker(login, caseworker):
    options = reverse("companies:comune_options")
    assert login(caseworker).get(options, {"q": "bergamo"}).status_code == 403


def test_the_workplace_filter_offers_the_programmes_comuni_to_the_need_list(
    login, staff, company_hr, recruiter
):
    options = reverse("companies:workplace_options")
    for user in (staff, company_hr):
        typed = login(user).get(options, {"q": "sarnico"}).json()["results"]
        assert [row["text"] for row in typed] == ["Sarnico (BG)"]
    assert login(staff).get(options, {"q": "milano"}).json()["results"] == []
    assert login(recruiter).get(options, {"q": "sarnico"}).status_code == 403


def test_the_need_list_filters_by_a_chosen_workplace(login, staff):
    campaign = SurveyCampaignFactory()
    sarnico = Comune.objects.get(istat_code="016193")
    there = NeedFactory(campaign=campaign, workplace=sarnico)
    NeedFactory(campaign=campaign)
    page = login(staff).get(NEEDS, {"campaign": campaign.pk, "workplace": sarnico.pk})
    assert _shown(page) == [there]
    assert f'<option value="{sarnico.pk}" selected>Sarnico (BG)</option>' in page.text
