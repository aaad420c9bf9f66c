"""E-mail leaves after the commit, by the background worker: a mail server that fails never
turns a saved page into an error, and the message is tried again later."""

import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from matching.models import Entry
from matching.services import shortlist_add, shortlist_share
from tests.factories import CandidateFactory, NeedFactory

pytestmark = pytest.mark.django_db

MAIL_TASK = "accounts.tasks.mail_send_task"


class DownServer(EmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "service not available")


@pytest.fixture
def queued(settings):
    """The database task backend, as in production: work waits for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.DownServer"


def test_a_mail_server_down_leaves_the_user_on_a_success_page_and_the_mail_queued(
    queued, login, company, company_hr, staff, centre, caseworker,
    django_capture_on_commit_callbacks, monkeypatch,
):  # fmt: skip
    candidate = CandidateFactory(centre=centre, caseworker=caseworker, consent_share_profile=True)
    entry = shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    DBTaskResult.objects.all().delete()  # the sharing's own e-mail
    client = login(company_hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:entry_feedback", args=[entry.pk]),
            {"action": Entry.Status.INTERVIEW_REQUESTED},
            follow=True,
        )

    assert response.status_code == 200
    assert "Colloquio richiesto" in response.text  # the step is saved, and said so
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INTERVIEW_REQUESTED
    task = DBTaskResult.objects.get(task_path=MAIL_TASK)
    assert task.status == "READY"
    assert task.args_kwargs["kwargs"]["recipients"] == [staff.email]

    # The worker as it runs beside the portal, but for closing the database connection
    # between tasks, which would end the test's own transaction.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())

    # The worker met the server down: that try failed, another waits a few minutes ahead.
    tries = DBTaskResult.objects.filter(task_path=MAIL_TASK).order_by("enqueued_at")
    assert [t.status for t in tries] == ["FAILED", "READY"]
    assert tries[1].run_after > timezone.now()
    assert tries[1].args_kwargs["kwargs"]["attempt"] == 2
    assert mail.outbox == []
