"""A withdrawn consent takes effect on every company page at once; released contacts and a
recruiter's access end by themselves a set time after the last event."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus

from accounts.tasks import MailNotSent, mail_send_task
from candidates.models import Consent
from candidates.services import consent_set, consents_apply
from matching.models import Entry, PipelineEvent
from matching.services import entry_move
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory
from tests.matching.test_company_pages import _agree, _candidate, _cards_url, _feedback, _shortlist

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Candidatura non più disponibile."


@pytest.fixture
def need(company):
    return NeedFactory(company=company)


@pytest.fixture
def shared(need, staff, centre, caseworker):
    """A shared shortlist of two candidates who consent to share their profile and contacts."""
    people = [
        _candidate(centre, caseworker, consent_share_contacts=True, first_name=name)
        for name in ("Zoraide", "Ermenegilda")
    ]
    return _shortlist(need, staff, people)


def test_a_withdrawn_profile_consent_hides_the_shared_card_at_once(
    login, company_hr, staff, shared, django_capture_on_commit_callbacks
):
    shortlist, (entry, other) = shared
    hr = login(company_hr)
    before = hr.get(_cards_url(shortlist)).text
    assert before.count('data-testid="card"') == 2

    with django_capture_on_commit_callbacks(execute=True):
        consent_set(
            candidate=entry.candidate, purpose=Consent.SHARE_PROFILE, granted=False, actor=staff
        )

    html = hr.get(_cards_url(shortlist)).text
    assert html.count('data-testid="card"') == 1
    assert html.count('data-testid="card-unavailable"') == 1
    assert UNAVAILABLE in html
    # Nothing more than the code the company already knew: no score, no move.
    card = html[html.index('data-testid="card-unavailable"') :]
    card = card[: card.index("</article>")]
    assert entry.code in card
    assert str(entry.score).replace(".", ",") not in card
    assert "<form" not in card
    entry.refresh_from_db()
    assert (entry.status, entry.reason) == (Entry.Status.WITHDRAWN, Entry.Reason.CONSENT)
    assert entry.events.last().note == "consenso revocato"  # in the actor's language
    other.refresh_from_db()
    assert other.status == Entry.Status.PROPOSED


def test_the_company_cannot_act_on_a_card_whose_consent_was_withdrawn(
    login, company_hr, staff, shared
):
    shortlist, (entry, _other) = shared
    hr = login(company_hr)
    hr.get(_cards_url(shortlist))  # the page as it was opened
    consent_set(candidate=entry.candidate, purpose=Consent.MATCHING, granted=False, actor=staff)
    events = PipelineEvent.objects.count()

    response = _feedback(hr, entry, action=Entry.Status.INTERVIEW_REQUESTED)

    assert response.status_code == 302
    page = hr.get(response.url).text
    assert UNAVAILABLE in page  # the message, and the card itself
    assert PipelineEvent.objects.count() == events
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN


def test_a_closed_entry_stays_as_it_was_but_the_company_no_longer_reads_it(
    login, company_hr, staff, shared
):
    """A hire is history (the reports count it): the entry keeps its status; the company's
    page shows it no longer, nor the contacts it released."""
    shortlist, (entry, _other) = shared
    _agree(entry, company_hr, staff)
    entry_move(
        entry=entry,
        to=Entry.Status.HIRED,
        actor=staff,
        contract="fixed_term",
        start_date=timezone.localdate(),
    )
    hr = login(company_hr)
    assert entry.candidate.phone in hr.get(_cards_url(shortlist)).text

    consents_apply(candidate=entry.candidate, consents={Consent.PROGRAMME: False}, actor=staff)

    html = hr.get(_cards_url(shortlist)).text
    assert entry.candidate.phone not in html
    assert entry.candidate.first_name not in html
    assert UNAVAILABLE in html
    entry.refresh_from_db()
    assert entry.status == Entry.Status.HIRED


def test_withdrawing_the_consent_to_share_contacts_hides_those_already_released(
    login, company_hr, staff, shared
):
    shortlist, (entry, _other) = shared
    _agree(entry, company_hr, staff)
    hr = login(company_hr)
    assert 'data-testid="contacts"' in hr.get(_cards_url(shortlist)).text

    consent_set(
        candidate=entry.candidate, purpose=Consent.SHARE_CONTACTS, granted=False, actor=staff
    )

    html = hr.get(_cards_url(shortlist)).text
    assert 'data-testid="contacts"' not in html
    assert entry.candidate.phone not in html
    # The profile consent stands: the card itself stays, at its step.
    assert html.count('data-testid="card"') == 2
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INTERVIEW_AGREED


def test_staff_are_emailed_once_the_withdrawal_commits_without_the_name(
    staff, admin, shared, django_capture_on_commit_callbacks
):
    _shortlist, (entry, _other) = shared
    candidate = entry.candidate
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        consents_apply(
            candidate=candidate,
            consents={Consent.SHARE_PROFILE: False, Consent.SHARE_CONTACTS: False},
            actor=staff,
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    # One message per member of the programme office, naming both consents in one.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([staff.email, admin.email])
    message = mail.outbox[0]
    assert f"n. {candidate.pk}" in message.subject
    assert candidate.get_absolute_url() in message.body
    with translation.override("it"):
        labels = [str(Consent(purpose).label) for purpose in ("share_profile", "share_contacts")]
    assert all(f"- {label}" in message.body for label in labels)
    for value in (candidate.first_name, candidate.last_name, candidate.phone):
        assert value not in message.subject + message.body


def test_nothing_is_emailed_for_a_withdrawal_that_is_rolled_back(
    staff, shared, django_capture_on_commit_callbacks
):
    _shortlist, (entry, _other) = shared
    mail.outbox.clear()

    def request_that_fails_later():
        with transaction.atomic():
            consent_set(
                candidate=entry.candidate,
                purpose=Consent.SHARE_PROFILE,
                granted=False,
                actor=staff,
            )
            raise RuntimeError("the request failed later on")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        request_that_fails_later()
    assert mail.outbox == []
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PROPOSED


class RefusingBackend(EmailBackend):
    """Refuses the addresses at refused.example, sends the others (to the test outbox)."""

    def send_messages(self, messages):
        if any(address.endswith("@refused.example") for m in messages for address in m.to):
            raise ConnectionRefusedError("the mail server refused the recipient")
        return super().send_messages(messages)


def test_a_refused_address_is_logged_by_count_never_by_address(settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    mail.outbox.clear()
    caplog.set_level(logging.INFO)
    result = mail_send_task.enqueue(
        subject="Oggetto riservato",
        body="Testo riservato",
        recipients=["ufficio@focus.example", "nessuno@refused.example"],
    )
    # The task ends as failed, so that the worker's record keeps the error.
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is MailNotSent
    assert [message.to for message in mail.outbox] == [["ufficio@focus.example"]]
    assert "1 of 2 messages not sent" in caplog.text
    for value in ("refused.example", "ufficio@", "Oggetto", "Testo"):
        assert value not in caplog.text


# Access that ends by itself -----------------------------------------------------------------


def test_released_contacts_end_a_set_time_after_the_outcome(
    login, company_hr, staff, shared, settings
):
    settings.HR_CONTACTS_DAYS = 90
    shortlist, (entry, _other) = shared
    _agree(entry, company_hr, staff)
    entry_move(entry=entry, to=Entry.Status.NOT_HIRED, actor=company_hr, reason="experience")
    outcome = entry.events.get(to_status=Entry.Status.NOT_HIRED)
    hr = login(company_hr)

    PipelineEvent.objects.filter(pk=outcome.pk).update(
        at=timezone.now() - datetime.timedelta(days=89)
    )
    assert entry.candidate.phone in hr.get(_cards_url(shortlist)).text

    PipelineEvent.objects.filter(pk=outcome.pk).update(
        at=timezone.now() - datetime.timedelta(days=91)
    )
    html = hr.get(_cards_url(shortlist)).text
    assert entry.candidate.phone not in html
    assert entry.candidate.first_name not in html
    assert html.count('data-testid="card"') == 2  # the pseudonymised card stays


def test_a_recruiters_access_ends_a_set_time_after_their_last_interview(
    login, recruiter, centre, caseworker, settings
):
    settings.RECRUITER_ACCESS_DAYS = 180
    candidate = CandidateFactory(centre=centre, caseworker=caseworker)
    interview = InterviewFactory(
        candidate=candidate,
        recruiter=recruiter,
        scheduled_at=timezone.now() - datetime.timedelta(days=179),
    )
    client = login(recruiter)
    assert client.get(candidate.get_absolute_url()).status_code == 200
    assert client.get(interview.get_absolute_url()).status_code == 200

    type(interview).objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(days=181)
    )
    assert client.get(candidate.get_absolute_url()).status_code == 404
    assert client.get(interview.get_absolute_url()).status_code == 404
    past = client.get(reverse("interviews:agenda") + "?when=past").text
    assert interview.get_absolute_url() not in past
    assert "180 giorni" in past

    # A new interview with them opens the access again.
    InterviewFactory(candidate=candidate, recruiter=recruiter)
    assert client.get(candidate.get_absolute_url()).status_code == 200
