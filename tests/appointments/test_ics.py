"""The invitations (.ics) and the personal feed, read back with icalendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from appointments.models import CalendarFeed
from interviews.services import interview_reschedule, tranche_assign
from matching.services import company_interview_schedule
from tests.appointments.conftest import at
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_an_invitation_carries_the_time_the_uid_and_a_sequence_raised_by_a_move(
    login, staff, recruiter, tranche, candidate
):
    interview = tranche_assign(
        tranche=tranche, candidates=[candidate], recruiter=recruiter, first_at=at(3, 9)
    )[0]
    url = reverse("appointments:interview_ics", args=[interview.pk])
    client = login(recruiter)
    calendar, [event] = _events(client.get(url))
    assert calendar["method"] == "REQUEST"
    assert event.decoded("dtstart") == at(3, 9)
    assert event["dtstart"].params["TZID"] == "Europe/Rome"
    assert event.decoded("dtend") == at(3, 9, 45)
    assert event["sequence"] == 0
    assert str(event["organizer"]) == "mailto:focus@confindustriabergamo.it"
    assert [str(a) for a in event.get("attendee", [])] == [f"mailto:{recruiter.email}"] or str(
        event["attendee"]
    ) == f"mailto:{recruiter.email}"
    uid = str(event["uid"])
    interview_reschedule(interview=interview, starts_at=at(4, 10), duration=30, actor=staff)
    _calendar, [moved] = _events(client.get(url))
    assert str(moved["uid"]) == uid
    assert moved["sequence"] == 1
    assert moved.decoded("dtstart").astimezone(ROME) == at(4, 10)
    assert moved.decoded("dtend") - moved.decoded("dtstart") == datetime.timedelta(minutes=30)


def test_company_hr_download_the_invitation_with_the_candidate_s_code(
    login, staff, company_hr, requested
):
    interview = company_interview_schedule(
        entry=requested,
        starts_at=at(5, 15),
        duration=60,
        mode="in_person",
        place="Via Zanica 12, Bergamo",
        attendees=[company_hr],
        actor=staff,
    )
    response = login(company_hr).get(
        reverse("appointments:company_interview_ics", args=[interview.pk])
    )
    _calendar, [event] = _events(response)
    assert requested.code in str(event["summary"])
    assert "Quaranta" not in response.content.decode()
    assert str(event["location"]) == "Via Zanica 12, Bergamo"
    assert str(event["attendee"]) == f"mailto:{company_hr.email}"


def _feed_url(client) -> str:
    page = client.post(reverse("appointments:feed_manage")).content.decode()
    return page.split('data-testid="feed-url"')[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_feed_lists_the_role_s_scope_naming_nobody_and_dies_when_revoked(
    client, login, recruiter, agency, tranche, centre
):
    mine = CandidateFactory(centre=centre, last_name="Esposito")
    theirs = CandidateFactory(centre=centre, last_name="Bianchi")
    tranche_assign(tranche=tranche, candidates=[mine], recruiter=recruiter, first_at=at(2, 9))
    other = UserFactory(role="recruiter", organisation=agency)
    tranche_assign(tranche=tranche, candidates=[theirs], recruiter=other, first_at=at(2, 9))
    url = _feed_url(login(recruiter))
    stored = CalendarFeed.objects.get(user=recruiter)
    assert url.rsplit("/", 1)[1].removesuffix(".ics") not in stored.token_hash
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    _calendar, events = _events(response)
    assert [str(e["summary"]) for e in events] == [f"Colloquio — candidato n. {mine.pk}"]
    body = response.content.decode()
    assert "Esposito" not in body
    assert "Bianchi" not in body
    assert mine.phone not in body
    login(recruiter).post(reverse("appointments:feed_revoke"))
    client.logout()
    assert client.get(url).status_code == 404


def test_a_new_feed_address_replaces_the_old_one(client, login, staff):
    session = login(staff)
    first, second = _feed_url(session), _feed_url(session)
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
