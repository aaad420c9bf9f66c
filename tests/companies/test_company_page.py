"""A company's page leads on: its needs and the shortlists made for them."""

import pytest
from django.utils import timezone

from matching.models import Shortlist
from matching.services import shortlist_add
from tests.factories import CandidateFactory, NeedFactory

pytestmark = pytest.mark.django_db


def _shortlist(need, staff, *, shared: bool) -> Shortlist:
    entry = shortlist_add(need=need, candidate=CandidateFactory(), actor=staff)
    if shared:
        Shortlist.objects.filter(pk=entry.shortlist_id).update(shared_at=timezone.now())
    return entry.shortlist


def test_staff_see_the_companys_needs_and_every_shortlist_made_for_them(
    login, staff, company, other_company
):
    welding = NeedFactory(company=company)
    cleaning = NeedFactory(company=company)
    NeedFactory(company=other_company)
    _shortlist(welding, staff, shared=True)
    _shortlist(cleaning, staff, shared=False)

    response = login(staff).get(company.get_absolute_url())

    [(_needs_template, needs), (_lists_template, shortlists)] = response.context["panels"]
    assert {need.pk for need in needs["needs"]} == {welding.pk, cleaning.pk}
    assert {s.need_id for s in shortlists["shortlists"]} == {welding.pk, cleaning.pk}
    assert 'data-testid="company-shortlists"' in response.text


def test_company_hr_see_their_needs_and_only_the_shortlists_shared_with_them(
    login, staff, company_hr, company
):
    shared_need, unshared_need = NeedFactory(company=company), NeedFactory(company=company)
    shared = _shortlist(shared_need, staff, shared=True)
    _shortlist(unshared_need, staff, shared=False)

    response = login(company_hr).get(company.get_absolute_url())

    [(_t, needs), (_t2, shortlists)] = response.context["panels"]
    assert len(needs["needs"]) == 2
    assert [s.pk for s in shortlists["shortlists"]] == [shared.pk]
    assert f"/matching/shortlists/{shared.pk}/cards/" in response.text


@pytest.mark.parametrize("size", [2, 14])
def test_the_company_page_runs_a_fixed_number_of_queries(
    login, staff, company, size, django_assert_num_queries
):
    for need in NeedFactory.create_batch(size, company=company):
        _shortlist(need, staff, shared=True)
    client = login(staff)
    # session, user, their second factor's device, the company with organisation, sector and
    # comune, its HR users, the needs panel's first rows (with campaign, profile, workplace),
    # the shortlists panel's first rows with their counts by step
    with django_assert_num_queries(7):
        response = client.get(company.get_absolute_url())
    [(_t, needs), (_t2, shortlists)] = response.context["panels"]
    assert (len(needs["needs"]), needs["more"]) == (min(size, 10), size > 10)
    assert len(shortlists["shortlists"]) == min(size, 10)
