"""The shortlists' list, for staff and for company HR, as it pages, sorts and searches, and
never shows HR a shortlist of another company or one not shared (its query pin at two sizes
is in test_company_pages.py)."""

import pytest
from django.urls import reverse

from catalog.models import JobProfile
from matching.services import shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory

LIST = reverse("matching:shortlist_list")

pytestmark = pytest.mark.django_db


def _shortlist(staff, centre, need, people=1, share=True):
    entries = [
        shortlist_add(
            need=need,
            candidate=CandidateFactory(centre=centre, consent_share_profile=True),
            actor=staff,
        )
        for _ in range(people)
    ]
    if share:
        shortlist_share(shortlist=entries[0].shortlist, actor=staff, portal_url="")
    return entries[0].shortlist


def _shown(response) -> list:
    return list(response.context["page"])


def test_staff_see_what_waits_to_be_shared_first_and_sort_by_candidates(
    login, staff, centre, company, other_company
):
    forklift = JobProfile.objects.get(code="carrellista")
    small = _shortlist(staff, centre, NeedFactory(company=company), people=2)
    large = _shortlist(staff, centre, NeedFactory(company=other_company), people=3)
    waiting = _shortlist(staff, centre, NeedFactory(company=company, profile=forklift), share=False)
    client = login(staff)
    assert _shown(client.get(LIST))[0] == waiting
    assert _shown(client.get(LIST, {"sort": "-candidates"})) == [large, small, waiting]
    assert _shown(client.get(LIST, {"sort": "company"}))[-1] == large  # Plastiche Serio
    assert _shown(client.get(LIST, {"sort": "-profile"}))[0] == waiting  # Carrellista
    assert _shown(client.get(LIST, {"sort": "need__candidate"})) == _shown(client.get(LIST))


def test_the_search_finds_the_company_profile_or_workplace(login, staff, centre, other_company):
    forklift = JobProfile.objects.get(code="carrellista")
    drivers = _shortlist(staff, centre, NeedFactory(profile=forklift))
    theirs = _shortlist(staff, centre, NeedFactory(company=other_company))
    client = login(staff)
    assert _shown(client.get(LIST, {"q": "carrellista"})) == [drivers]
    assert _shown(client.get(LIST, {"q": "plastiche serio"})) == [theirs]
    assert "Nessuna rosa di candidati" in client.get(LIST, {"q": "nessuno"}).text


def test_company_hr_page_and_search_only_their_shared_shortlists(
    login, staff, centre, company, other_company, company_hr
):
    ours = [_shortlist(staff, centre, NeedFactory(company=company)) for _ in range(27)]
    _shortlist(staff, centre, NeedFactory(company=company), share=False)
    _shortlist(staff, centre, NeedFactory(company=other_company))
    client = login(company_hr)
    first, second = client.get(LIST), client.get(LIST, {"page": "2"})
    assert first.context["page"].paginator.count == 27
    assert set(_shown(first)) | set(_shown(second)) == set(ours)
    assert len(_shown(second)) == 2
    assert _shown(client.get(LIST, {"q": other_company.name})) == []
