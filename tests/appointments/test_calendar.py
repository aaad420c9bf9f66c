"""The calendar pages: each role sees its own scope, a week or a month, Monday first, in a
fixed number of queries whatever the number of interviews."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.services import tranche_assign
from matching.models import CompanyInterview
from matching.services import company_interview_schedule
from tests.appointments.conftest import at
from tests.factories import CandidateFactory, InterviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _week(client, day, **more):
    return client.get(reverse("appointments:calendar"), {"date": day.isoformat(), **more})


def test_the_week_starts_on_monday_in_italian_with_links_that_keep_the_view(
    login, recruiter, tranche, candidate
):
    tranche_assign(tranche=tranche, candidates=[candidate], recruiter=recruiter, first_at=at(2, 9))
    day = at(2, 9).date()
    response = _week(login(recruiter), day, view="month")
    page = response.content.decode()
    assert response.status_code == 200
    headers = page.split('role="columnheader">')[1:8]
    assert next(h.split("<")[0] for h in headers) == "lunedì"
    assert [h.split("<")[0] for h in headers][6] == "domenica"
    assert "view=month" in page.split('data-testid="next"')[0].rsplit("href=", 1)[1]
    assert str(candidate) in page
    assert "09:00\N{EN DASH}09:45" in page


def test_a_recruiter_sees_only_their_own_interviews(login, recruiter, agency, tranche, centre):
    mine, theirs = CandidateFactory(centre=centre), CandidateFactory(centre=centre)
    tranche_assign(tranche=tranche, candidates=[mine], recruiter=recruiter, first_at=at(2, 9))
    other = UserFactory(role="recruiter", organisation=agency)
    tranche_assign(tranche=tranche, candidates=[theirs], recruiter=other, first_at=at(2, 9))
    page = _week(login(recruiter), at(2, 9).date()).content.decode()
    assert str(mine) in page
    assert str(theirs) not in page


def test_staff_narrow_the_calendar_to_one_recruiter(login, staff, recruiter, agency, tranche):
    mine, theirs = CandidateFactory(), CandidateFactory()
    tranche_assign(tranche=tranche, candidates=[mine], recruiter=recruiter, first_at=at(2, 9))
    other = UserFactory(role="recruiter", organisation=agency)
    tranche_assign(tranche=tranche, candidates=[theirs], recruiter=other, first_at=at(2, 9))
    client = login(staff)
    everything = _week(client, at(2, 9).date()).content.decode()
    assert str(mine) in everything
    assert str(theirs) in everything
    narrowed = _week(client, at(2, 9).date(), recruiter=recruiter.pk).content.decode()
    assert str(mine) in narrowed
    assert str(theirs) not in narrowed


def test_company_hr_see_their_company_s_interviews_by_the_candidate_s_code(
    login, staff, company_hr, other_company_hr, requested
):
    company_interview_schedule(
        entry=requested, starts_at=at(3, 10), duration=60, mode="in_person", actor=staff
    )
    page = _week(login(company_hr), at(3, 10).date()).content.decode()
    assert requested.code in page
    assert "Quaranta" not in page  # no consent to share contacts: the code only
    other = _week(login(other_company_hr), at(3, 10).date()).content.decode()
    assert requested.code not in other


def test_a_caseworker_sees_their_centre_s_candidates_interviews(
    login, caseworker, other_caseworker, staff, requested
):
    company_interview_schedule(
        entry=requested, starts_at=at(3, 10), duration=60, mode="in_person", actor=staff
    )
    assert "Quaranta" in _week(login(caseworker), at(3, 10).date()).content.decode()
    assert "Quaranta" not in _week(login(other_caseworker), at(3, 10).date()).content.decode()


@pytest.mark.parametrize("view", ["week", "month"])
def test_the_calendar_asks_a_fixed_number_of_queries(
    login, staff, recruiter, tranche, requested, django_assert_num_queries, view
):
    client = login(staff)
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(8)))

    def add(count):
        for n in range(count):
            when = start + datetime.timedelta(hours=n)
            InterviewFactory(tranche=tranche, recruiter=recruiter, scheduled_at=when)
            CompanyInterview.objects.create(entry=requested, starts_at=when, organised_by=staff)

    def page(count):
        add(count)
        # The session, its user and their second factor; the recruiters of the filter; the
        # programme interviews; the company interviews, and their attendees.
        with django_assert_num_queries(7):
            response = client.get(reverse("appointments:calendar"), {"view": view})
        return response.content.decode().count('data-testid="appointment"')

    assert page(2) == 2 * 2 * 2  # the grid and the narrow screens' list
    assert page(10) == 12 * 2 * 2
