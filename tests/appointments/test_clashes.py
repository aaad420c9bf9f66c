"""Nobody is booked in two places at once: a recruiter, or a candidate across programme and
company interviews; back to back is fine, and a cancelled interview holds no time."""

import pytest
from django.core.exceptions import ValidationError

from interviews.models import Interview
from interviews.services import interview_reschedule, interview_set_status, tranche_assign
from matching.models import CompanyInterview, Entry
from matching.services import company_interview_schedule
from tests.appointments.conftest import at
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _assign(tranche, candidate, recruiter, when, minutes=60):
    return tranche_assign(
        tranche=tranche,
        candidates=[candidate],
        recruiter=recruiter,
        first_at=when,
        minutes_each=minutes,
    )[0]


def test_a_recruiter_cannot_have_two_interviews_at_once(tranche, recruiter, centre):
    _assign(tranche, CandidateFactory(centre=centre), recruiter, at(3, 9))
    other = CandidateFactory(centre=centre, first_name="Zelda")
    with pytest.raises(ValidationError) as refused:
        _assign(tranche, other, recruiter, at(3, 9, 30))
    message = " ".join(refused.value.messages)
    assert "Il selezionatore ha già un colloquio" in message
    assert "09:00" in message
    assert "10:00" in message
    # The other interview's candidate is not named to whoever books this one.
    assert "Zelda" not in message
    assert not Interview.objects.filter(candidate=other).exists()


def test_back_to_back_interviews_are_allowed(tranche, recruiter, centre):
    _assign(tranche, CandidateFactory(centre=centre), recruiter, at(3, 9))
    second = _assign(tranche, CandidateFactory(centre=centre), recruiter, at(3, 10))
    assert second.pk is not None


def test_a_candidate_cannot_have_two_interviews_at_once(tranche, recruiter, agency, candidate):
    from tests.factories import TrancheFactory, UserFactory

    _assign(tranche, candidate, recruiter, at(4, 14))
    someone_else = UserFactory(role="recruiter", organisation=agency)
    with pytest.raises(ValidationError, match="Il candidato ha già un colloquio"):
        _assign(TrancheFactory(), candidate, someone_else, at(4, 14, 45))


def test_a_company_interview_clashes_with_a_programme_interview(
    tranche, recruiter, staff, requested
):
    _assign(tranche, requested.candidate, recruiter, at(5, 10), minutes=45)
    with pytest.raises(ValidationError, match="10:00"):
        company_interview_schedule(
            entry=requested, starts_at=at(5, 10, 30), duration=60, mode="in_person", actor=staff
        )
    assert not CompanyInterview.objects.exists()
    requested.refresh_from_db()
    assert requested.status == Entry.Status.INTERVIEW_REQUESTED  # nothing written
    interview = company_interview_schedule(
        entry=requested, starts_at=at(5, 10, 45), duration=60, mode="in_person", actor=staff
    )
    requested.refresh_from_db()
    assert requested.status == Entry.Status.INTERVIEW_AGREED
    # And the other way round: the programme interview cannot be moved onto it.
    programme = Interview.objects.get(candidate=requested.candidate)
    with pytest.raises(ValidationError, match="Il candidato ha già un colloquio"):
        interview_reschedule(
            interview=programme, starts_at=at(5, 11), duration=45, actor=staff, reason="x"
        )
    assert interview.starts_at == at(5, 10, 45)


def test_a_cancelled_interview_frees_its_time_and_taking_it_back_is_checked(
    tranche, recruiter, centre
):
    first = _assign(tranche, CandidateFactory(centre=centre), recruiter, at(6, 9))
    interview_set_status(interview=first, status=Interview.Status.CANCELLED)
    second = _assign(tranche, CandidateFactory(centre=centre), recruiter, at(6, 9))
    assert second.pk
    with pytest.raises(ValidationError, match="Il selezionatore ha già un colloquio"):
        interview_set_status(interview=first, status=Interview.Status.SCHEDULED)


def test_the_tranche_page_refuses_a_clash_with_the_time_of_the_other_interview(
    login, staff, recruiter, tranche, centre
):
    from django.urls import reverse

    _assign(tranche, CandidateFactory(centre=centre), recruiter, at(7, 9))
    other = CandidateFactory(centre=centre)
    response = login(staff).post(
        reverse("interviews:tranche_detail", args=[tranche.pk]),
        {
            "candidates": [other.pk],
            "recruiter": recruiter.pk,
            "first_at": at(7, 9, 15).strftime("%Y-%m-%dT%H:%M"),
            "minutes_each": 45,
            "mode": "in_person",
        },
    )
    assert response.status_code == 200
    assert "Il selezionatore ha già un colloquio" in response.content.decode()
    assert not Interview.objects.filter(candidate=other).exists()
