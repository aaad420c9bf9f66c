import pytest
from django.urls import reverse

from catalog.models import Certification, Comune, JobProfile, Skill
from companies.models import Need, NeedCertification, NeedSkill
from tests.factories import NeedFactory, SurveyCampaignFactory


def _management(total: int, initial: int = 0) -> dict:
    return {
        "needs-TOTAL_FORMS": str(total),
        "needs-INITIAL_FORMS": str(initial),
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "1000",
    }


def _need(index: int, **fields) -> dict:
    data = {
        "profile": JobProfile.objects.get(code="carrellista").pk,
        "headcount": "3",
        "workplace": Comune.objects.get(istat_code="016024").pk,
        "contract": "fixed_term",
        "hours": "full_time",
        "shifts": "two",
        "min_experience_years": "0",
        "status": "open",
        **fields,
    }
    return {f"needs-{index}-{key}": value for key, value in data.items()}


@pytest.fixture
def open_campaign(db):
    return SurveyCampaignFactory(name="Rilevazione 2026", status="open")


@pytest.mark.django_db
def test_company_hr_declares_two_needs_at_once(login, company_hr, company, open_campaign):
    treviglio = Comune.objects.get(istat_code="016219")
    forklift = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    welding = JobProfile.objects.get(code="addetto-saldatura")
    response = login(company_hr).post(
        reverse("companies:campaign_answer", args=[open_campaign.pk]),
        {
            **_management(2),
            **_need(0, mandatory_certifications=[forklift.pk], italian_level="A2"),
            **_need(1, profile=welding.pk, workplace=treviglio.pk, headcount="1"),
        },
    )
    assert response.url == open_campaign.get_absolute_url()
    needs = Need.objects.filter(company=company, campaign=open_campaign).order_by("headcount")
    assert [(n.profile.code, n.workplace.name, n.headcount) for n in needs] == [
        ("addetto-saldatura", "Treviglio", 1),
        ("carrellista", "Bergamo", 3),
    ]
    requirement = needs[1].certification_requirements.get()
    assert (requirement.certification, requirement.mandatory) == (forklift, True)


@pytest.mark.django_db
def test_an_error_in_one_need_saves_nothing_and_keeps_what_was_typed(
    login, company_hr, open_campaign
):
    response = login(company_hr).post(
        reverse("companies:campaign_answer", args=[open_campaign.pk]),
        {
            **_management(2),
            **_need(0, notes="Turni da concordare con il capo reparto"),
            **_need(1, headcount="0"),
        },
    )
    assert response.status_code == 200
    assert not Need.objects.exists()
    assert "Turni da concordare con il capo reparto" in response.text
    assert response.context["formset"].forms[1].errors["headcount"]


@pytest.mark.django_db
def test_the_same_profile_twice_at_one_workplace_is_refused(login, company_hr, open_campaign):
    response = login(company_hr).post(
        reverse("companies:campaign_answer", args=[open_campaign.pk]),
        {**_management(2), **_need(0), **_need(1, headcount="1")},
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["workplace"]
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_a_skill_both_mandatory_and_preferred_is_refused(login, company_hr, open_campaign):
    skill = Skill.objects.get(code="conduzione-carrello")
    response = login(company_hr).post(
        reverse("companies:campaign_answer", args=[open_campaign.pk]),
        {
            **_management(1),
            **_need(0, mandatory_skills=[skill.pk], preferred_skills=[skill.pk]),
        },
    )
    assert response.status_code == 200
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_company_hr_changes_and_removes_their_needs(login, company_hr, company, open_campaign):
    kept = NeedFactory(company=company, campaign=open_campaign, headcount=2)
    removed = NeedFactory(
        company=company,
        campaign=open_campaign,
        profile=JobProfile.objects.get(code="carrellista"),
    )
    data = {**_management(2, initial=2)}
    data |= _need(0, id=kept.pk, version=kept.version, profile=kept.profile.pk, headcount="5")
    data |= _need(1, id=removed.pk, version=removed.version, DELETE="on")
    login(company_hr).post(reverse("companies:campaign_answer", args=[open_campaign.pk]), data)
    kept.refresh_from_db()
    assert kept.headcount == 5
    assert not Need.objects.filter(pk=removed.pk).exists()


@pytest.mark.django_db
def test_a_closed_campaign_is_read_only_for_company_hr(login, company_hr, company):
    closed = SurveyCampaignFactory(status="closed")
    need = NeedFactory(company=company, campaign=closed, headcount=2)
    client = login(company_hr)
    assert client.get(reverse("companies:campaign_answer", args=[closed.pk])).status_code == 403
    response = client.post(
        reverse("companies:campaign_answer", args=[closed.pk]),
        {**_management(1, initial=1), **_need(0, id=need.pk, version=need.version, headcount="9")},
    )
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.headcount == 2
    detail = client.get(closed.get_absolute_url())
    assert not detail.context["can_answer"]
    assert reverse("companies:campaign_answer", args=[closed.pk]) not in detail.text


@pytest.mark.django_db
def test_company_hr_see_only_their_own_needs_in_a_campaign(
    login, company_hr, company, other_company, open_campaign
):
    mine = NeedFactory(company=company, campaign=open_campaign)
    NeedFactory(company=other_company, campaign=open_campaign)
    response = login(company_hr).get(open_campaign.get_absolute_url())
    assert list(response.context["page"]) == [mine]
    assert other_company.name not in response.text


@pytest.mark.django_db
def test_company_hr_do_not_see_draft_campaigns(login, company_hr):
    draft = SurveyCampaignFactory(status="draft")
    client = login(company_hr)
    assert draft not in client.get(reverse("companies:campaign_list")).context["page"]
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_staff_open_a_campaign_and_its_dates_are_checked(login, staff):
    client = login(staff)
    response = client.post(
        reverse("companies:campaign_create"),
        {
            "name": "Rilevazione 2027",
            "opens_on": "2027-03-01",
            "closes_on": "2027-01-01",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert 'value="Rilevazione 2027"' in response.text
    response = client.post(
        reverse("companies:campaign_create"),
        {
            "name": "Rilevazione 2027",
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-01",
            "status": "open",
        },
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_a_campaigns_page_reads_a_fixed_number_of_queries(
    login, staff, open_campaign, django_assert_num_queries, size
):
    skill, certification = Skill.objects.first(), Certification.objects.first()
    for need in NeedFactory.create_batch(size, campaign=open_campaign):
        NeedSkill.objects.create(need=need, skill=skill, mandatory=True)
        NeedCertification.objects.create(need=need, certification=certification)
    client = login(staff)
    # session, user with organisation, their second factor's device, the campaign, the count
    # of its needs for the paginator, the campaign's figures, the page of needs with company,
    # organisation, campaign, profile and workplace (sorted by people needed), their skill
    # requirements, those skills, their certification requirements, those certifications
    with django_assert_num_queries(11):
        response = client.get(open_campaign.get_absolute_url(), {"sort": "-people"})
    assert len(response.context["page"]) == min(size, 25)
    summary = {figure.key: figure.value for figure in response.context["summary"]}
    assert summary["needs"] == size


@pytest.mark.parametrize("more", [2, 30])
def test_campaign_list_counts_needs_companies_and_people(
    login, staff, company, other_company, open_campaign, django_assert_num_queries, more
):
    for _ in range(more):
        NeedFactory(company=company, campaign=SurveyCampaignFactory(status="closed"))
    NeedFactory(company=company, campaign=open_campaign, headcount=3)
    NeedFactory(
        company=company,
        campaign=open_campaign,
        headcount=2,
        profile=JobProfile.objects.get(code="carrellista"),
    )
    NeedFactory(company=other_company, campaign=open_campaign, headcount=4)
    NeedFactory(
        company=other_company,
        campaign=open_campaign,
        headcount=10,
        status="cancelled",
        profile=JobProfile.objects.get(code="carrellista"),
    )
    client = login(staff)
    # session, user with organisation, their second factor's device, the count for the
    # paginator, the page of campaigns with their counts
    with django_assert_num_queries(5):
        response = client.get(reverse("companies:campaign_list"))
    page = response.context["page"]
    assert (page.paginator.count, len(page)) == (1 + more, min(1 + more, 25))
    campaign = page[0]  # the open campaign first, before the closed ones
    assert campaign == open_campaign
    assert (campaign.company_count, campaign.need_count, campaign.headcount) == (2, 3, 9)
