import re

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.languages import CefrLevel
from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Need, NeedCertification, NeedSkill
from matching.models import Shortlist
from tests.factories import CompanyFactory, NeedFactory, SurveyCampaignFactory

LIST = reverse("companies:need_list")
ALL = {"campaign": ""}  # every campaign: the list opens on the open one


@pytest.fixture
def forklift():
    return JobProfile.objects.get(code="carrellista")


@pytest.fixture
def treviglio():
    return Comune.objects.get(istat_code="016219")


def listed(response) -> set[Need]:
    return set(response.context["page"].object_list)


@pytest.mark.django_db
def test_company_hr_see_only_their_own_companys_needs(login, company_hr, company, other_company):
    own = NeedFactory.create_batch(2, company=company)
    NeedFactory(company=other_company)
    response = login(company_hr).get(LIST, ALL)
    assert listed(response) == set(own)
    assert response.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_company_hr_cannot_pick_another_company(login, company_hr, company, other_company):
    own = NeedFactory(company=company)
    NeedFactory(company=other_company)
    response = login(company_hr).get(LIST, {"company": other_company.pk})
    assert "company" not in response.context["filters"].fields
    assert listed(response) == {own}


@pytest.mark.django_db
def test_staff_see_every_companys_needs_and_filter_by_company(login, staff, company, other_company):
    own, other = NeedFactory(company=company), NeedFactory(company=other_company)
    client = login(staff)
    assert listed(client.get(LIST, ALL)) == {own, other}
    assert listed(client.get(LIST, {"company": other_company.pk})) == {other}


@pytest.mark.django_db
def test_need_list_filters_by_campaign_profile_workplace_and_contract(
    login, staff, forklift, treviglio
):
    campaign = SurveyCampaignFactory()
    in_campaign = NeedFactory(campaign=campaign)
    forklift_need = NeedFactory(profile=forklift)
    in_treviglio = NeedFactory(workplace=treviglio)
    permanent = NeedFactory(contract=Need.Contract.PERMANENT)
    client = login(staff)
    assert listed(client.get(LIST, {"campaign": campaign.pk})) == {in_campaign}
    assert listed(client.get(LIST, {"profile": forklift.pk})) == {forklift_need}
    assert listed(client.get(LIST, {"workplace": treviglio.pk})) == {in_treviglio}
    assert listed(client.get(LIST, {"contract": Need.Contract.PERMANENT})) == {permanent}


@pytest.mark.django_db
def test_need_list_filters_by_status_and_open_or_filled_leaves_out_cancelled(login, staff):
    open_need = NeedFactory(status=Need.Status.OPEN)
    filled = NeedFactory(status=Need.Status.FILLED)
    cancelled = NeedFactory(status=Need.Status.CANCELLED)
    client = login(staff)
    assert listed(client.get(LIST, ALL)) == {open_need, filled, cancelled}
    assert listed(client.get(LIST, {"status": "cancelled"})) == {cancelled}
    assert listed(client.get(LIST, {"status": "active"})) == {open_need, filled}


@pytest.mark.django_db
def test_need_list_searches_by_company_name(login, staff, company, other_company):
    need = NeedFactory(company=company)
    NeedFactory(company=other_company)
    assert listed(login(staff).get(LIST, {"q": "orobica"})) == {need}


@pytest.mark.django_db
def test_workplace_filter_offers_only_the_programmes_comuni(login, staff):
    workplaces = login(staff).get(LIST).context["filters"].fields["workplace"].queryset
    assert set(workplaces.values_list("province", flat=True)) == set(settings.PORTAL_PROVINCES)


@pytest.mark.django_db
def test_need_list_shows_each_need_and_links_to_it(login, english_pages, staff, company, forklift):
    need = NeedFactory(company=company, profile=forklift, headcount=4, status=Need.Status.FILLED)
    html = login(staff).get(LIST, ALL).text
    row = re.search(r"<tr>\s*<td>Meccanica Orobica.*?</tr>", html, re.DOTALL).group()
    assert f'href="{need.get_absolute_url()}"' in row
    for text in ("Forklift operator", ">4<", "Bergamo (BG)", "Fixed-term", "Day shift only"):
        assert text in row
    assert "Filled" in row
    assert need.campaign.name in row


@pytest.mark.django_db
def test_need_list_is_paginated_by_25(login, staff):
    NeedFactory.create_batch(27)
    client = login(staff)
    assert len(client.get(LIST, ALL).context["page"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_need_list_runs_a_fixed_number_of_queries(login, staff, django_assert_num_queries, size):
    NeedFactory.create_batch(size)
    client = login(staff)
    # session, user, their second factor's device, the paginator's count, the page of needs with
    # company, organisation, campaign, profile and workplace joined (sorted by profile), the
    # people needed in all, then the options of two filters: campaigns, profiles (the comuni
    # and the companies are asked for as staff type)
    with django_assert_num_queries(8):
        response = client.get(LIST, {"sort": "-profile"})
    assert len(response.context["page"]) == min(size, 25)


@pytest.mark.django_db
def test_need_detail_shows_the_need_and_its_requirements(login, english_pages, company_hr, company):
    need = NeedFactory(
        company=company,
        profile=JobProfile.objects.get(code="carrellista"),
        headcount=3,
        nights=True,
        italian_level=CefrLevel.A2,
        notes="Turni a rotazione",
    )
    NeedSkill.objects.create(
        need=need, skill=Skill.objects.get(code="conduzione-carrello"), mandatory=True
    )
    NeedCertification.objects.create(
        need=need,
        certification=Certification.objects.get(code="abilitazione-carrelli-elevatori"),
        mandatory=False,
    )
    response = login(company_hr).get(need.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    requirements = re.findall(r'<tr data-testid="requirement">(.*?)</tr>', html, re.DOTALL)
    assert len(requirements) == 2
    assert "Driving a forklift" in requirements[0]
    assert "Mandatory" in requirements[0]
    assert "Forklift operator licence" in requirements[1]
    assert "Preferred" in requirements[1]
    for text in ("Forklift operator", "Meccanica Orobica S.p.A.", "A2", "Turni a rotazione"):
        assert text in html


@pytest.mark.django_db
def test_company_hr_get_404_for_another_companys_need(login, company_hr, other_company):
    need = NeedFactory(company=other_company)
    assert login(company_hr).get(need.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_caseworker_may_not_list_needs(login, caseworker):
    NeedFactory(company=CompanyFactory())
    assert login(caseworker).get(LIST).status_code == 403


@pytest.mark.django_db
def test_the_rank_button_shows_only_to_those_the_policy_lets_rank(
    login, staff, admin, company_hr, company
):
    need = NeedFactory(company=company)
    rank = reverse("matching:need_rank", args=[need.pk])
    for user, shown in ((staff, True), (admin, True), (company_hr, False)):
        page = login(user).get(need.get_absolute_url())
        assert page.status_code == 200
        assert ('data-testid="rank-candidates"' in page.text) is shown, user.role
        assert (rank in page.text) is shown, user.role


@pytest.mark.django_db
def test_the_rank_button_follows_the_policy_not_the_role(login, staff, company, monkeypatch):
    need = NeedFactory(company=company)
    permits = Shortlist.permits
    monkeypatch.setattr(
        Shortlist,
        "permits",
        classmethod(lambda cls, user, action, obj=None: action != "rank" and permits(user, action)),
    )
    page = login(staff).get(need.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="rank-candidates"' not in page.text


@pytest.mark.django_db
def test_the_needs_list_opens_on_the_open_campaign_and_all_campaigns_are_one_choice_away(
    login, staff
):
    closed = SurveyCampaignFactory(status="closed", opens_on="2021-03-01")
    current = SurveyCampaignFactory(status="open", opens_on="2026-03-01")
    old_need, open_need = NeedFactory(campaign=closed), NeedFactory(campaign=current)
    client = login(staff)

    first = client.get(LIST, follow=True)
    assert first.redirect_chain == [(f"{LIST}?campaign={current.pk}", 302)]
    assert first.context["filters"]["campaign"].value() == str(current.pk)
    assert [need.pk for need in first.context["page"]] == [open_need.pk]

    every = client.get(LIST, {"campaign": ""})
    assert {need.pk for need in every.context["page"]} == {old_need.pk, open_need.pk}
