"""The interview lists (all interviews, the agenda, a tranche's) and the tranches as they page,
sort and search, within the user's scope. Their query pins at two sizes are in
test_assessments.py and test_dashboard.py."""

import pytest
from django.urls import reverse

from interviews.services import assessment_record
from tests.factories import CandidateFactory, InterviewFactory, TrancheFactory

LIST = reverse("interviews:interview_list")
TRANCHES = reverse("interviews:tranche_list")

pytestmark = pytest.mark.django_db


def _interview(recruiter, last_name, employability=None, **fields):
    interview = InterviewFactory(
        recruiter=recruiter, candidate=CandidateFactory(last_name=last_name), **fields
    )
    if employability:
        assessment_record(interview=interview, actor=recruiter, employability=employability)
    return interview


def test_interviews_sort_by_candidate_and_by_class_the_unassessed_last(login, staff, recruiter):
    first = _interview(recruiter, "Zorzi", "B")
    second = _interview(recruiter, "Amadei")
    third = _interview(recruiter, "Moretti", "A")
    client = login(staff)
    assert list(client.get(LIST).context["page"]) == [first, second, third]  # by date
    assert list(client.get(LIST, {"sort": "candidate"}).context["page"]) == [second, third, first]
    assert list(client.get(LIST, {"sort": "class"}).context["page"]) == [third, first, second]
    assert list(client.get(LIST, {"sort": "-when"}).context["page"]) == [third, second, first]
    assert list(client.get(LIST, {"sort": "candidate__codice_fiscale"}).context["page"]) == [
        first,
        second,
        third,
    ]


def test_the_search_by_candidate_name_keeps_to_the_recruiters_own_interviews(login, recruiter):
    mine = _interview(recruiter, "Colombo")
    InterviewFactory(candidate=CandidateFactory(last_name="Colombo"))  # another recruiter's
    _interview(recruiter, "Galli")
    page = login(recruiter).get(LIST, {"q": "colombo"}).context["page"]
    assert list(page) == [mine]


def test_interviews_page_by_number_and_the_agenda_too(login, staff, recruiter):
    interviews = InterviewFactory.create_batch(32, recruiter=recruiter)
    client = login(staff)
    assert list(client.get(LIST, {"page": "2"}).context["page"]) == interviews[30:]
    agenda = login(recruiter).get(reverse("interviews:agenda"), {"page": "2"})
    assert list(agenda.context["page"]) == interviews[30:]
    assert 'aria-current="page"><span class="visually-hidden">Pagina </span>2</a>' in agenda.text


def test_tranches_page_by_number_and_the_search_narrows_them(login, staff):
    for n in range(12):
        TrancheFactory(name=f"Tranche {n + 1:02d}")
    TrancheFactory(name="Pilota Treviglio")
    client = login(staff)
    second = client.get(TRANCHES, {"page": "2"})
    assert len(second.context["figures"]) == 3
    found = client.get(TRANCHES, {"q": "treviglio"})
    assert [figures.tranche.name for figures in found.context["figures"]] == ["Pilota Treviglio"]


def test_a_tranches_interviews_page_by_number_and_sort(login, staff, recruiter):
    tranche = TrancheFactory()
    InterviewFactory.create_batch(51, tranche=tranche, recruiter=recruiter)
    last = _interview(recruiter, "Aaron", tranche=tranche)
    client = login(staff)
    assert list(client.get(tranche.get_absolute_url(), {"page": "2"}).context["page"])[-1] == last
    assert client.get(tranche.get_absolute_url(), {"sort": "candidate"}).context["page"][0] == last
