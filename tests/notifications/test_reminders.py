"""Reminders: each date coming up is told once, to whom it concerns; sending them again tells
nobody anything new, and a date that changed is told again."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from interviews.services import assessment_record
from matching.models import Entry, Shortlist
from notifications.models import Notification
from notifications.reminders import due_items, reminders_send
from notifications.tasks import reminders_send_task
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory, UserFactory
from tests.notifications.helpers import told
from training.models import FollowUp
from training.services import follow_ups_schedule, support_action_propose

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _today() -> datetime.date:
    return timezone.localdate()


def _in(days: int) -> datetime.date:
    return _today() + datetime.timedelta(days=days)


@pytest.fixture
def permit_in(shared):
    """`permit_in(days)`: a shared candidate whose residence permit expires in `days`."""

    def arrange(days: int, **candidate) -> Entry:
        return shared(permit_type="work", permit_expiry=_in(days), **candidate)

    return arrange


def test_a_permit_expiring_within_60_days_is_told_to_the_office_once(permit_in, staff, admin):
    entry = permit_in(45, last_name="Quartararo")
    assert reminders_send() == (1, 1)
    (notice,) = told(staff, Kind.PERMIT_EXPIRING)
    assert "Quartararo" in notice.text
    assert notice.link == entry.candidate.get_absolute_url()
    assert told(admin) == []
    assert reminders_send() == (1, 0)  # the same date: nothing new
    assert len(told(staff, Kind.PERMIT_EXPIRING)) == 1


def test_a_permit_whose_date_changed_is_told_again(permit_in, staff):
    entry = permit_in(30)
    reminders_send()
    Candidate.objects.filter(pk=entry.candidate_id).update(permit_expiry=_in(50))
    reminders_send()
    reminders_send()
    assert len(told(staff, Kind.PERMIT_EXPIRING)) == 2


def test_no_permit_reminder_beyond_60_days_off_a_shortlist_or_once_renewal_is_asked(
    permit_in, staff, centre
):
    permit_in(61)
    permit_in(20, permit_renewal_requested_on=_today())
    CandidateFactory(centre=centre, permit_type="work", permit_expiry=_in(10))  # not shortlisted
    withdrawn = permit_in(10)
    Entry.objects.filter(pk=withdrawn.pk).update(status=Entry.Status.WITHDRAWN)
    assert reminders_send() == (0, 0)
    assert told(staff) == []


def test_a_reminder_email_goes_as_the_kind_says(permit_in, staff, committed):
    permit_in(15, last_name="Quartararo")
    mail.outbox.clear()
    with committed():
        reminders_send()
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert "Quartararo" not in message.subject + message.body


def test_a_review_due_is_told_to_the_office_by_the_latest_assessment(staff, recruiter, centre):
    person = CandidateFactory(centre=centre, last_name="Quartararo")
    earlier = InterviewFactory(
        candidate=person,
        recruiter=recruiter,
        scheduled_at=timezone.now() - datetime.timedelta(days=90),
    )
    assessment_record(interview=earlier, actor=recruiter, employability="B", next_review_on=_in(3))
    reminders_send()
    (notice,) = told(staff, Kind.REVIEW_DUE)
    assert "Quartararo" in notice.text
    # A later assessment sets the next review anew, beyond the notice: nothing more.
    later = InterviewFactory(
        candidate=person,
        recruiter=recruiter,
        scheduled_at=timezone.now() - datetime.timedelta(days=1),
    )
    assessment_record(interview=later, actor=recruiter, employability="A", next_review_on=_in(90))
    assert [due.kind for due in due_items()] == []
    reminders_send()
    assert len(told(staff, Kind.REVIEW_DUE)) == 1


def _hire(candidate, company, staff, started_days_ago: int) -> Entry:
    return Entry.objects.create(
        shortlist=Shortlist.objects.create(need=NeedFactory(company=company), created_by=staff),
        candidate=candidate,
        score=70,
        added_by=staff,
        status=Entry.Status.HIRED,
        start_date=_today() - datetime.timedelta(days=started_days_ago),
    )


def test_a_follow_up_due_is_told_to_the_candidates_own_centre_once_per_date(
    candidate, caseworker, other_caseworker, company, staff
):
    entry = _hire(candidate, company, staff, started_days_ago=27)  # the 1-month check in days
    follow_ups_schedule(entry=entry, actor=staff)
    reminders_send()
    reminders_send()
    (notice,) = told(caseworker, Kind.FOLLOW_UP_DUE)
    check = FollowUp.objects.get(entry=entry, months=1)
    assert notice.link == check.get_absolute_url()
    assert told(other_caseworker) == []
    FollowUp.objects.filter(pk=check.pk).update(due_on=_in(6))
    reminders_send()
    assert len(told(caseworker, Kind.FOLLOW_UP_DUE)) == 2


def test_a_follow_up_made_is_no_longer_due(candidate, caseworker, company, staff):
    entry = _hire(candidate, company, staff, started_days_ago=29)
    follow_ups_schedule(entry=entry, actor=staff)
    FollowUp.objects.filter(entry=entry).update(
        status="done", done_on=_today(), outcome="still_employed"
    )
    assert reminders_send() == (0, 0)


def test_a_support_action_due_is_told_to_whoever_follows_it(candidate, caseworker, staff):
    owner = UserFactory(role="staff", organisation=staff.organisation)
    action = support_action_propose(candidate=candidate, kind="housing", actor=staff)
    action.owner, action.due_on = owner, _in(2)
    action.save(update_fields=["owner", "due_on"])
    reminders_send()
    assert len(told(owner, Kind.ACTION_DUE)) == 1
    assert told(caseworker, Kind.ACTION_DUE) == []


def test_the_command_sends_once_and_says_how_many(permit_in, staff, capsys):
    permit_in(5)
    call_command("reminders_send")
    call_command("reminders_send")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Reminders due: 1; notifications written: 1.",
        "Reminders due: 1; notifications written: 0.",
    ]
    call_command("reminders_send", "--queue")  # the worker's way (here it runs at once)
    assert len(told(staff, Kind.PERMIT_EXPIRING)) == 1


# The page of what is due --------------------------------------------------------------------


def test_the_office_sees_what_is_due_by_date_and_others_may_not(
    login, permit_in, staff, recruiter, caseworker
):
    later = permit_in(40, last_name="Tardivo")
    sooner = permit_in(10, last_name="Presto")
    page = login(staff).get(reverse("notifications:due")).text
    assert page.index("Presto") < page.index("Tardivo")
    assert sooner.candidate.get_absolute_url() in page
    assert later.candidate.get_absolute_url() in page
    assert login(recruiter).get(reverse("notifications:due")).status_code == 403
    assert login(caseworker).get(reverse("notifications:due")).status_code == 403


@pytest.mark.parametrize("size", [2, 35])
def test_the_due_page_reads_a_fixed_number_of_queries(
    login, staff, company, centre, size, django_assert_num_queries
):
    need = NeedFactory(company=company)
    shortlist = Shortlist.objects.create(need=need, created_by=staff)
    for n in range(size):
        Entry.objects.create(
            shortlist=shortlist,
            candidate=CandidateFactory(centre=centre, permit_expiry=_in(n + 1)),
            score=70,
            added_by=staff,
        )
    client = login(staff)
    # session, user (with organisation and unread count), their second factor, the latest
    # assessments' reviews, the permits of shortlisted candidates (with their entries and
    # the needs' profiles), the follow-up checks, the support actions
    with django_assert_num_queries(7):
        response = client.get(reverse("notifications:due"))
    assert response.text.count('data-testid="due-item"') == min(size, 30)


def test_the_task_logs_counts_never_what_the_reminders_say(permit_in, staff, caplog):
    permit_in(5, first_name="Zenobia", last_name="Quartararo")
    with caplog.at_level(logging.DEBUG):
        reminders_send_task.enqueue()
    assert "Reminders: 1 due, 1 notifications written" in caplog.text
    assert "Quartararo" not in caplog.text
    assert "Zenobia" not in caplog.text
    assert "Quartararo" in told(staff, Kind.PERMIT_EXPIRING)[0].text
