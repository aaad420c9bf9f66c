"""Invitations and password resets leave once the work that asked for them is committed, from
the background worker, with a link to the portal as the user reached it, in the language of
the page that asked; the worker makes the one-time link itself, so that the queued task never
holds one."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from accounts.models import User

pytestmark = pytest.mark.django_db

LINK_TASK = "accounts.tasks.password_link_send_task"


@pytest.fixture
def queued(settings, monkeypatch):
    """The database task backend, as in production: work waits for the worker. The worker
    runs as beside the portal, but for closing the database connection between tasks, which
    would end the test's own transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def _worker_runs():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def test_a_new_users_invitation_is_queued_after_the_commit_and_its_link_works(
    queued, login, admin, centre, client, django_capture_on_commit_callbacks
):
    data = {
        "username": "giulia.bianchi",
        "first_name": "Giulia",
        "last_name": "Bianchi",
        "email": "giulia.bianchi@diakonia.example.org",
        "role": User.Role.CASEWORKER,
        "organisation": centre.pk,
    }
    with django_capture_on_commit_callbacks() as after_commit:
        response = login(admin).post(reverse("accounts:user_create"), data)
    assert response.url == reverse("accounts:user_list")
    assert not DBTaskResult.objects.filter(task_path=LINK_TASK).exists()  # not before the commit

    for callback in after_commit:
        callback()
    task = DBTaskResult.objects.get(task_path=LINK_TASK)
    assert task.args_kwargs["kwargs"] == {
        "kind": "invitation",
        "email": data["email"],
        "domain": "testserver",
        "use_https": False,
        "language": "it",
    }
    assert mail.outbox == []

    with translation.override("en"):  # the worker's own language is not the e-mail's
        _worker_runs()
    (message,) = mail.outbox
    assert message.to == [data["email"]]
    assert message.subject == "Il tuo account sul portale Focus"
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    assert "new_password1" in form_page.text


def test_an_invitation_sent_again_goes_to_the_portal_as_the_administrator_reached_it(
    login, admin, caseworker, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["testserver", "focus.example.org"]
    office = login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("accounts:user_invite", args=[caseworker.pk]),
            secure=True,
            HTTP_HOST="focus.example.org",
        )
    (message,) = mail.outbox
    assert message.to == [caseworker.email]
    assert "https://focus.example.org/accounts/" in message.body


def test_a_reset_asked_in_english_is_written_in_english_whatever_the_workers_language(
    client, caseworker, django_capture_on_commit_callbacks
):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    with translation.override("it"), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": caseworker.email})
    (message,) = mail.outbox
    assert message.subject == "Focus portal: choose a new password"
    assert f"Your username is: {caseworker.username}" in message.body


def test_a_reset_asked_in_italian_is_written_in_italian(
    client, caseworker, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": caseworker.email})
    (message,) = mail.outbox
    assert f"Nome utente: {caseworker.username}" in message.body
