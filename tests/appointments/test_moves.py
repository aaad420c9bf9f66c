"""Moving an interview records who moved it, from when to when and why, tells those
concerned and raises the invitation's sequence; a no-show is recorded."""

import pytest
from django.urls import reverse

from interviews.models import Interview, InterviewMove
from interviews.services import tranche_assign
from matching.models import CompanyInterview, CompanyInterviewMove
from matching.services import (
    company_interview_reschedule,
    company_interview_schedule,
    company_interview_set_status,
)
from notifications.models import Notification
from tests.appointments.conftest import at

pytestmark = pytest.mark.django_db


def test_staff_move_a_programme_interview_and_the_recruiter_is_told(
    login, staff, recruiter, tranche, candidate, django_capture_on_commit_callbacks
):
    interview = tranche_assign(
        tranche=tranche, candidates=[candidate], recruiter=recruiter, first_at=at(3, 9)
    )[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(
            reverse("interviews:interview_reschedule", args=[interview.pk]),
            {
                "date": at(4, 11).date().isoformat(),
                "time": "11:00",
                "duration": 60,
                "mode": "phone",
                "place": "",
                "reason": "Treno soppresso",
            },
        )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.scheduled_at == at(4, 11)
    assert interview.sequence == 1
    move = InterviewMove.objects.get(interview=interview)
    assert (move.from_at, move.to_at, move.reason, move.by) == (
        at(3, 9),
        at(4, 11),
        "Treno soppresso",
        staff,
    )
    assert Notification.objects.filter(
        recipient=recruiter, kind=Notification.Kind.INTERVIEW_MOVED
    ).exists()
    page = login(staff).get(interview.get_absolute_url()).content.decode()
    assert "Treno soppresso" in page


def test_a_recruiter_records_a_no_show(login, recruiter, tranche, candidate):
    interview = tranche_assign(
        tranche=tranche, candidates=[candidate], recruiter=recruiter, first_at=at(1, 9)
    )[0]
    login(recruiter).post(
        reverse("interviews:interview_set_status", args=[interview.pk]), {"status": "no_show"}
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.NO_SHOW


def test_a_company_interview_is_moved_marked_no_show_and_hr_are_told(
    staff, company_hr, requested, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = company_interview_schedule(
            entry=requested,
            starts_at=at(5, 15),
            duration=45,
            mode="video",
            place="https://meet.example.org/abc",
            attendees=[company_hr],
            actor=staff,
        )
    told = Notification.objects.filter(
        recipient=company_hr, kind=Notification.Kind.COMPANY_INTERVIEW_SET
    )
    assert told.count() == 1
    assert requested.code in told.get().text
    assert str(requested.candidate.last_name) not in told.get().text
    with django_capture_on_commit_callbacks(execute=True):
        company_interview_reschedule(
            interview=interview, starts_at=at(6, 9), duration=45, actor=staff, reason="Ferie"
        )
    assert told.count() == 2
    move = CompanyInterviewMove.objects.get(interview=interview)
    assert (move.from_at, move.to_at, move.reason) == (at(5, 15), at(6, 9), "Ferie")
    company_interview_set_status(
        interview=interview, status=CompanyInterview.Status.NO_SHOW, actor=staff
    )
    interview.refresh_from_db()
    assert (interview.status, interview.sequence) == ("no_show", 1)


def test_only_the_company_s_own_hr_attend(staff, requested, other_company_hr):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        company_interview_schedule(
            entry=requested,
            starts_at=at(5, 15),
            duration=45,
            mode="in_person",
            attendees=[other_company_hr],
            actor=staff,
        )
