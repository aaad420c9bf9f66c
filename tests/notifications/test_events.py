"""Who is told of each event of a shortlist and of interviews, once, in their own language;
caseworkers of their own centre's candidates only, company HR by codes."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from interviews import notices as interview_notices
from interviews.services import tranche_assign
from matching import notices
from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from notifications.models import Notification
from tests.factories import CandidateFactory, InterviewFactory, TrancheFactory, UserFactory
from tests.notifications.helpers import prefer, told

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def test_sharing_tells_the_company_and_the_candidates_caseworker_once(
    shared, staff, caseworker, company_hr, committed
):
    entry = shared(last_name="Quartararo")
    (hr_notice,) = told(company_hr)
    assert hr_notice.kind == Kind.SHORTLIST_SHARED
    assert hr_notice.link == reverse("matching:shortlist_cards", args=[entry.shortlist_id])
    assert "Quartararo" not in hr_notice.text
    (own,) = told(caseworker)
    assert own.kind == Kind.SHORTLISTED
    assert "Quartararo" in own.text
    assert own.link == entry.candidate.get_absolute_url()
    assert told(staff) == []  # the one who shared it

    with committed():
        shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")  # shared again
    assert len(told(company_hr)) == 1
    assert len(told(caseworker)) == 1


def test_a_candidate_added_later_tells_only_their_caseworker_at_the_next_share(
    shared, staff, caseworker, company_hr, centre, committed
):
    entry = shared()
    later = CandidateFactory(centre=centre, caseworker=caseworker, consent_share_profile=True)
    shortlist_add(need=entry.shortlist.need, candidate=later, actor=staff)
    with committed():
        shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    assert [n.candidate for n in told(caseworker, Kind.SHORTLISTED)] == [entry.candidate, later]
    assert len(told(company_hr)) == 1


def test_an_interview_request_tells_the_matching_officers_with_the_code_by_email(
    shared, step, staff, admin, company_hr
):
    entry = shared(last_name="Quartararo")
    mail.outbox.clear()
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    (notice,) = told(staff)
    assert notice.kind == Kind.INTERVIEW_REQUESTED
    assert "Quartararo" in notice.text  # the office may read the name, in the portal
    assert notice.link == reverse("matching:shortlist_detail", args=[entry.shortlist_id])
    assert told(admin) == []  # the matching officers, not the administrator
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert entry.code in message.subject
    assert "Quartararo" not in message.subject + message.body


def test_an_agreed_interview_tells_the_caseworker_and_the_company_by_code(
    shared, step, caseworker, company_hr
):
    entry = shared(first_name="Zenobia", last_name="Quartararo")
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    step(entry, Entry.Status.INTERVIEW_AGREED)
    agreed = told(caseworker, Kind.INTERVIEW_AGREED)
    assert len(agreed) == 1
    assert "Zenobia Quartararo" in agreed[0].text
    (confirmed,) = told(company_hr, Kind.INTERVIEW_CONFIRMED)
    assert entry.code in confirmed.text
    assert "Zenobia" not in confirmed.text
    assert "Quartararo" not in confirmed.text


@pytest.mark.parametrize("recorder", ["staff", "company_hr"])
def test_a_hire_tells_the_caseworker_and_the_outcome_the_office_once(
    shared, step, personas, caseworker, staff, recorder, committed
):
    entry = shared(last_name="Quartararo")
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    step(entry, Entry.Status.INTERVIEW_AGREED)
    step(entry, Entry.Status.HIRED, actor=personas[recorder])
    (hired,) = told(caseworker, Kind.HIRED)
    assert "Quartararo" in hired.text
    outcome = told(staff, Kind.OUTCOME_RECORDED)
    assert len(outcome) == (1 if recorder == "company_hr" else 0)  # never the one who did it

    entry.refresh_from_db()
    with committed():
        notices.entry_moved(entry=entry, actor=personas[recorder])  # the same step told again
    assert len(told(caseworker, Kind.HIRED)) == 1


def test_an_outcome_not_hired_tells_the_office_and_not_the_caseworker(
    shared, step, caseworker, staff, company_hr
):
    entry = shared()
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    step(entry, Entry.Status.INTERVIEW_AGREED)
    step(entry, Entry.Status.NOT_HIRED, actor=company_hr)
    assert len(told(staff, Kind.OUTCOME_RECORDED)) == 1
    assert told(caseworker, Kind.HIRED) == []


def test_a_caseworker_hears_only_of_their_own_centres_candidates(
    shared, step, caseworker, other_caseworker, centre
):
    colleague = UserFactory(role="caseworker", organisation=centre)
    mine = shared()
    nobodys = shared(caseworker=None)
    assert [n.candidate for n in told(caseworker)] == [mine.candidate, nobodys.candidate]
    # A candidate whose caseworker is nobody (or left) is every caseworker of the centre's.
    assert [n.candidate for n in told(colleague)] == [nobodys.candidate]
    assert told(other_caseworker) == []


def test_nothing_is_told_of_work_rolled_back(shared, company_hr, staff, committed):
    entry = shared()
    with committed() as callbacks:
        try:
            with transaction.atomic():
                entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert told(staff) == []


def test_the_text_is_written_in_the_recipients_language(shared, step, staff, caseworker):
    prefer(caseworker, language="en")
    entry = shared(last_name="Quartararo")
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    (english,) = told(caseworker)
    assert english.text.startswith(f"{entry.candidate} is on a shortlist shared with")
    (italian,) = told(staff)
    assert " chiede un colloquio con " in italian.text
    assert italian.text.endswith(".")
    assert not italian.text.endswith("..")


def test_a_recruiter_is_told_once_of_the_interviews_assigned(recruiter, staff, committed):
    tranche = TrancheFactory(name="Seconda tranche")
    first_at = timezone.now() + datetime.timedelta(days=3)
    with committed():
        interviews = tranche_assign(
            tranche=tranche,
            candidates=[CandidateFactory(), CandidateFactory()],
            recruiter=recruiter,
            first_at=first_at,
        )
    (notice,) = told(recruiter)
    assert notice.kind == Kind.INTERVIEWS_ASSIGNED
    assert notice.text.startswith("Ti sono stati assegnati 2 colloqui in Seconda tranche")
    assert notice.link == reverse("interviews:agenda")
    with committed(), transaction.atomic():
        interview_notices.interviews_assigned(interviews=interviews)
    assert len(told(recruiter)) == 1


def test_a_moved_interview_is_told_once_for_each_new_time(recruiter, committed):
    interview = InterviewFactory(recruiter=recruiter)
    for hours in (2, 2, 5):
        interview.scheduled_at += datetime.timedelta(hours=hours)
        with committed():
            interview_notices.interview_moved(interview=interview)
            interview_notices.interview_moved(interview=interview)
    assert len(told(recruiter, Kind.INTERVIEW_MOVED)) == 3
