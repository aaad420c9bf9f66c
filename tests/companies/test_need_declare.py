"""A need is written by one service whatever the way in (the company's answer, the survey's
import), which refuses it by field: what each way in shows next to what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Comune, JobProfile, Skill
from companies.models import Need
from companies.services import need_declare, need_update
from tests.factories import NeedFactory, SurveyCampaignFactory


def _need(**changes) -> dict:
    return {
        "profile": JobProfile.objects.get(code="carrellista"),
        "workplace": Comune.objects.get(istat_code="016024"),
        "headcount": 2,
        "contract": Need.Contract.FIXED_TERM,
        **changes,
    }


@pytest.mark.django_db
def test_a_need_in_an_open_campaign_is_declared_with_its_requirements(company):
    skill = Skill.objects.get(code="conduzione-carrello")
    need = need_declare(
        company=company, campaign=SurveyCampaignFactory(), **_need(mandatory_skills=[skill])
    )
    assert (need.company, need.headcount, need.status) == (company, 2, Need.Status.OPEN)
    assert [(r.skill, r.mandatory) for r in need.skill_requirements.all()] == [(skill, True)]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["closed", "draft"])
def test_a_need_in_a_campaign_that_is_not_open_is_refused_on_the_campaign(company, status):
    with pytest.raises(ValidationError) as refused:
        need_declare(company=company, campaign=SurveyCampaignFactory(status=status), **_need())
    assert list(refused.value.message_dict) == ["campaign"]
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_a_workplace_outside_the_programmes_provinces_is_refused_on_the_workplace(
    company, english, settings
):
    settings.PORTAL_PROVINCES = ["BG"]
    with pytest.raises(ValidationError) as refused:
        need_declare(
            company=company,
            campaign=SurveyCampaignFactory(),
            **_need(workplace=Comune.objects.get(name="Milano", province="MI")),
        )
    assert refused.value.message_dict == {
        "workplace": [
            "Milano (MI) is not in the programme's area (BG): the programme matches people "
            "with workplaces there only."
        ]
    }
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_every_problem_of_a_need_is_said_at_once_each_on_its_field(company, settings):
    settings.PORTAL_PROVINCES = ["BG"]
    skill = Skill.objects.get(code="conduzione-carrello")
    with pytest.raises(ValidationError) as refused:
        need_declare(
            company=company,
            campaign=SurveyCampaignFactory(status="closed"),
            **_need(
                workplace=Comune.objects.get(name="Milano", province="MI"),
                headcount=0,
                mandatory_skills=[skill],
                preferred_skills=[skill],
            ),
        )
    assert set(refused.value.message_dict) == {
        "campaign",
        "workplace",
        "headcount",
        "preferred_skills",
    }


@pytest.mark.django_db
def test_a_second_need_for_the_same_profile_and_workplace_is_refused(company, english):
    campaign = SurveyCampaignFactory()
    need_declare(company=company, campaign=campaign, **_need())
    with pytest.raises(ValidationError) as refused:
        need_declare(company=company, campaign=campaign, **_need(headcount=5))
    assert "change its headcount instead" in " ".join(refused.value.messages)
    assert Need.objects.get().headcount == 2


@pytest.mark.django_db
def test_a_change_is_checked_as_a_declaration_is_and_writes_nothing_when_refused(company, settings):
    settings.PORTAL_PROVINCES = ["BG"]
    need = NeedFactory(company=company, headcount=2)
    with pytest.raises(ValidationError) as refused:
        need_update(
            need=need, headcount=4, workplace=Comune.objects.get(name="Milano", province="MI")
        )
    assert list(refused.value.message_dict) == ["workplace"]
    need.refresh_from_db()
    assert (need.headcount, need.workplace.istat_code, need.version) == (2, "016024", 1)


@pytest.mark.django_db
def test_staff_may_still_change_a_need_after_its_campaign_closed(company):
    need = NeedFactory(company=company, campaign=SurveyCampaignFactory(status="closed"))
    need_update(need=need, status=Need.Status.CANCELLED)
    need.refresh_from_db()
    assert need.status == Need.Status.CANCELLED


@pytest.mark.django_db
def test_a_refusal_of_the_service_shows_on_the_card_that_typed_it(login, company_hr):
    campaign = SurveyCampaignFactory()
    skill = Skill.objects.get(code="conduzione-carrello")
    data = {
        "needs-TOTAL_FORMS": "2",
        "needs-INITIAL_FORMS": "0",
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "1000",
    }
    for index, profile in enumerate(("carrellista", "addetto-saldatura")):
        data |= {
            f"needs-{index}-profile": JobProfile.objects.get(code=profile).pk,
            f"needs-{index}-headcount": "1",
            f"needs-{index}-workplace": Comune.objects.get(istat_code="016024").pk,
            f"needs-{index}-contract": "permanent",
            f"needs-{index}-hours": "full_time",
            f"needs-{index}-shifts": "day",
            f"needs-{index}-min_experience_years": "0",
            f"needs-{index}-status": "open",
            f"needs-{index}-notes": f"Note {index}",
        }
    data |= {"needs-1-mandatory_skills": [skill.pk], "needs-1-preferred_skills": [skill.pk]}

    response = login(company_hr).post(
        reverse("companies:campaign_answer", args=[campaign.pk]), data
    )

    assert response.status_code == 200
    first, second = response.context["formset"].forms
    assert not first.errors
    assert list(second.errors) == ["preferred_skills"]
    assert "Note 1" in response.text  # what was typed stays
    assert not Need.objects.exists()
