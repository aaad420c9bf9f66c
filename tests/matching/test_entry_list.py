"""The shortlisted candidates across shortlists (matching:entry_list): the matching officers
read names and companies, company HR the codes of their own shared shortlists, a name only
once the contacts are released."""

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Shortlist
from tests.factories import CandidateFactory, NeedFactory
from tests.reports.programme_data import shortlist_entry

LIST = reverse("matching:entry_list")
AGREED = ("interview_requested", "interview_agreed")


@pytest.fixture
def entries(company, other_company, centre, staff):
    shared = Shortlist.objects.create(
        need=NeedFactory(company=company), created_by=staff, shared_at=timezone.now()
    )
    theirs = Shortlist.objects.create(
        need=NeedFactory(company=other_company), created_by=staff, shared_at=timezone.now()
    )

    def person(name, **consents):
        return CandidateFactory(
            centre=centre,
            first_name=name,
            last_name="Bonomi",
            consent_share_profile=True,
            **consents,
        )

    return {
        "proposed": shortlist_entry(shared, person("Anna"), staff, "proposed"),
        "agreed": shortlist_entry(
            shared,
            person("Carla", consent_share_contacts=True),
            staff,
            "interview_agreed",
            through=AGREED,
        ),
        "withdrawn": shortlist_entry(shared, person("Wilma"), staff, "withdrawn"),
        "theirs": shortlist_entry(theirs, person("Omar"), staff, "proposed"),
    }


def _codes(response) -> set[str]:
    return {line.code for line in response.context["lines"]}


@pytest.mark.django_db
def test_company_hr_list_their_shared_candidates_by_code_never_the_withdrawn_nor_others(
    login, company_hr, entries
):
    response = login(company_hr).get(LIST)
    assert _codes(response) == {entries["proposed"].code, entries["agreed"].code}
    assert "Anna Bonomi" not in response.text
    assert "Carla Bonomi" in response.text  # interview agreed, contacts shared
    assert "Omar" not in response.text
    assert "Wilma" not in response.text
    status_choices = dict(response.context["filters"].fields["status"].choices)
    assert "withdrawn" not in status_choices


@pytest.mark.django_db
def test_company_hr_cannot_find_a_candidate_by_name_only_by_code(login, company_hr, entries):
    client = login(company_hr)
    assert _codes(client.get(LIST, {"q": "Anna"})) == set()
    assert _codes(client.get(LIST, {"q": entries["proposed"].code})) == {entries["proposed"].code}


@pytest.mark.django_db
def test_staff_list_every_shortlisted_candidate_by_name_step_and_company(login, staff, entries):
    client = login(staff)
    assert len(_codes(client.get(LIST))) == 4
    found = client.get(LIST, {"q": "Omar", "status": "proposed"})
    assert _codes(found) == {entries["theirs"].code}
    assert "Plastiche Serio S.r.l." in found.text


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(
    login, company_hr, company, centre, staff, django_assert_num_queries, size
):
    shortlist = Shortlist.objects.create(
        need=NeedFactory(company=company), created_by=staff, shared_at=timezone.now()
    )
    for _ in range(size):
        shortlist_entry(
            shortlist,
            CandidateFactory(centre=centre, consent_share_profile=True),
            staff,
            "interview_agreed",
            through=AGREED,
        )
    client = login(company_hr)
    # session, user with organisation, the count for the paginator, the page of entries with
    # candidate, need, company, profile, workplace, latest step and outcome
    with django_assert_num_queries(4):
        response = client.get(LIST, {"status": "interview_agreed"})
    assert len(response.context["lines"]) == size
