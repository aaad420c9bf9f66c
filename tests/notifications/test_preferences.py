"""What comes by e-mail is each user's choice, per kind, with sensible defaults; the e-mail is
written in the recipient's language and names candidates by their codes."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from matching.models import Entry
from notifications.models import Notification, Preferences
from tests.notifications.helpers import prefer, told

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_by_default_a_hire_comes_by_email_and_a_shortlisting_does_not(shared, step, caseworker):
    entry = shared(last_name="Quartararo")
    assert len(told(caseworker)) == 1
    assert _to(caseworker) == []
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    step(entry, Entry.Status.INTERVIEW_AGREED)
    mail.outbox.clear()
    step(entry, Entry.Status.HIRED)
    (message,) = _to(caseworker)
    assert entry.code in message.subject
    assert "Quartararo" not in message.subject + message.body
    assert entry.candidate.get_absolute_url() in message.body
    assert reverse("notifications:preferences") in message.body
    assert message.body.startswith("Buongiorno,")


def test_a_kind_chosen_for_the_portal_only_sends_no_email(shared, step, caseworker):
    prefer(caseworker, hired=False)
    entry = shared()
    step(entry, Entry.Status.INTERVIEW_REQUESTED)
    step(entry, Entry.Status.INTERVIEW_AGREED)
    mail.outbox.clear()
    step(entry, Entry.Status.HIRED)
    assert len(told(caseworker, Kind.HIRED)) == 1  # told all the same, in the portal
    assert _to(caseworker) == []


def test_a_kind_chosen_by_email_comes_by_email_in_the_chosen_language(shared, caseworker):
    prefer(caseworker, language="en", shortlisted=True)
    entry = shared(last_name="Quartararo")
    (message,) = _to(caseworker)
    assert message.subject.startswith(f"Focus: {entry.code} is on a shortlist shared with")
    assert message.body.startswith("Hello,")


def test_the_company_is_told_of_a_share_by_email_without_names(shared, company_hr):
    shared(first_name="Zenobia", last_name="Quartararo")
    (message,) = _to(company_hr)
    assert "Zenobia" not in message.body
    assert "Quartararo" not in message.body
    assert "I profili sono anonimi" in message.body


def test_the_preferences_page_saves_each_kind_and_the_language(login, english_pages, caseworker):
    client = login(caseworker, client=english_pages)
    page = client.get(reverse("notifications:preferences"))
    assert "A candidate of yours is hired" in page.text
    assert "Interviews assigned to you" not in page.text  # a recruiter's, not theirs
    response = client.post(
        reverse("notifications:preferences"),
        {
            "language": "en",
            "kind_shortlisted": "email",
            "kind_interview_agreed": "portal",
            "kind_hired": "portal",
            "kind_follow_up_due": "email",
            "kind_action_due": "portal",
        },
    )
    assert response.status_code == 302
    stored = Preferences.objects.get(user=caseworker)
    assert stored.language == "en"
    assert stored.by_email == {
        "shortlisted": True,
        "interview_agreed": False,
        "hired": False,
        "follow_up_due": True,
        "action_due": False,
    }
    again = client.get(reverse("notifications:preferences")).text
    assert _checked(again, "kind_shortlisted") == "email"
    assert _checked(again, "kind_hired") == "portal"


def _checked(html: str, name: str) -> str:
    """The value of the radio button of `name` that the page shows chosen."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return ""


def test_a_kind_that_is_not_the_users_is_not_stored(login, company_hr):
    client = login(company_hr)
    client.post(
        reverse("notifications:preferences"),
        {
            "language": "it",
            "kind_shortlist_shared": "portal",
            "kind_interview_confirmed": "email",
            "kind_company_interview_set": "portal",
            "kind_hired": "email",
        },
    )
    assert Preferences.objects.get(user=company_hr).by_email == {
        "shortlist_shared": False,
        "interview_confirmed": True,
        "company_interview_set": False,
    }
