"""The e-mail that tells of an interview arranged or moved carries its invitation, so that
the participant's calendar adds or updates the event: the same UID each time, the sequence
raised at each move, and no candidate's name (an e-mail leaves the portal)."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from interviews.services import tranche_assign
from matching.services import company_interview_reschedule, company_interview_schedule
from tests.appointments.conftest import at

pytestmark = pytest.mark.django_db


def _invitations(user) -> list[Calendar]:
    """The calendars attached to the e-mails sent to `user`, in order."""
    found = []
    for message in mail.outbox:
        if message.to != [user.email]:
            continue
        for filename, content, mimetype in message.attachments:
            assert filename.endswith(".ics")
            assert mimetype.startswith("text/calendar; method=REQUEST")
            found.append(Calendar.from_ical(content))
    return found


def _event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_hr_get_the_company_interview_s_invitation_and_its_update_when_moved(
    staff, company_hr, requested, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
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
    with django_capture_on_commit_callbacks(execute=True):
        company_interview_reschedule(
            interview=interview, starts_at=at(6, 9), duration=60, actor=staff, reason="Ferie"
        )
    first, moved = _invitations(company_hr)
    assert first["method"] == "REQUEST"
    event = _event(first)
    assert str(event["uid"]) == f"focus-company-{interview.pk}@focus"
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (at(5, 15), at(5, 15, 45))
    assert str(event["location"]) == "https://meet.example.org/abc"
    assert requested.code in str(event["summary"])
    attendees = event.get("attendee", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert f"mailto:{company_hr.email}" in [str(attendee) for attendee in attendees]
    update = _event(moved)
    assert str(update["uid"]) == str(event["uid"])
    assert (update.decoded("dtstart"), update.decoded("dtend")) == (at(6, 9), at(6, 10))
    assert int(update["sequence"]) == int(event["sequence"]) + 1
    # Nobody is named: neither the candidate's surname nor their first name.
    text = first.to_ical().decode() + moved.to_ical().decode()
    assert requested.candidate.last_name not in text
    assert requested.candidate.first_name not in text


def test_the_recruiter_gets_the_moved_interview_s_invitation_without_the_candidate_s_name(
    login, staff, recruiter, tranche, candidate, django_capture_on_commit_callbacks
):
    interview = tranche_assign(
        tranche=tranche, candidates=[candidate], recruiter=recruiter, first_at=at(3, 9)
    )[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(
            reverse("interviews:interview_reschedule", args=[interview.pk]),
            {
                "date": at(4, 11).date().isoformat(),
                "time": "11:00",
                "duration": 60,
                "mode": "in_person",
                "place": "Gi Group, via Paglia 1, Bergamo",
                "reason": "Treno soppresso",
            },
        )
    (calendar,) = _invitations(recruiter)
    event = _event(calendar)
    assert str(event["uid"]) == f"focus-interview-{interview.pk}@focus"
    assert event.decoded("dtstart") == at(4, 11)
    assert int(event["sequence"]) == 1
    assert str(candidate.pk) in str(event["summary"])
    assert candidate.last_name not in calendar.to_ical().decode()
