"""Background work of the accounts app, run by the task worker after the request commits."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger(__name__)


@task()
def password_link_send_task(
    *, kind: str, email: str, domain: str, use_https: bool, language: str | None = None
) -> None:
    """Send a password link (reset or invitation) away from the request that asked for it, so
    that how long the request took says nothing of whether the address has an account; in
    the `language` of the page that asked (the portal's own for work queued without one)."""
    from accounts.services import password_link_send

    try:
        password_link_send(
            kind=kind, email=email, domain=domain, use_https=use_https, language=language
        )
    except Exception:
        # The address stays out of the log: the task's own record holds it.
        logger.exception("A password link (%s) could not be sent", kind)
        raise


# How often an e-mail is tried before it is given up (logged), and how long the worker waits
# before the next try: 1, 4, 16, 64 minutes.
MAIL_ATTEMPTS = 5


class MailNotSent(Exception):
    """Some messages of an e-mail task could not be sent (how many: the argument)."""


def _mail_retry_delay(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=4 ** (attempt - 1))


@task(takes_context=True)
def mail_send_task(
    context: TaskContext,
    *,
    subject: str,
    body: str,
    recipients: list[str],
    attempt: int = 1,
    attachments: list[list[str]] | None = None,
) -> int:
    """Send a plain-text e-mail to each of `recipients`, one message each (nobody reads the
    others' addresses), away from the request whose transaction asked for it: enqueue it with
    `transaction.on_commit`, so that nothing is sent for work that was rolled back and a slow
    or failing mail server never holds up a page. Returns how many messages were sent.

    The addresses the server refused or could not take are tried again by a new task, later
    (MAIL_ATTEMPTS in all, waiting longer each time), when the task backend can defer work;
    the ones still failing after the last attempt are logged and given up. This task then
    ends as failed, so that the worker's record keeps the error. The log names the task's id
    and counts, never the addresses, the subject or the body: the task's own record holds
    them.

    `attachments` are text files sent with each message, as [file name, content, MIME type]
    (an interview's invitation, text/calendar)."""
    connection = get_connection()
    failed = []
    for address in recipients:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for filename, content, mimetype in attachments or ():
            message.attach(filename, content, mimetype)
        message.connection = connection
        try:
            message.send()
        except Exception:
            failed.append(address)
    if not failed:
        return len(recipients)
    result = context.task_result.id
    if attempt < MAIL_ATTEMPTS and mail_send_task.get_backend().supports_defer:
        later = timezone.now() + _mail_retry_delay(attempt)
        mail_send_task.using(run_after=later).enqueue(
            subject=subject,
            body=body,
            recipients=failed,
            attempt=attempt + 1,
            attachments=attachments,
        )
        logger.warning(
            "E-mail task %s: %d of %d messages not sent (attempt %d of %d), tried again at %s",
            result,
            len(failed),
            len(recipients),
            attempt,
            MAIL_ATTEMPTS,
            later.isoformat(),
        )
    else:
        logger.error(
            "E-mail task %s: %d of %d messages not sent (attempt %d of %d), given up",
            result,
            len(failed),
            len(recipients),
            attempt,
            MAIL_ATTEMPTS,
        )
    raise MailNotSent(len(failed))


def mail_send_on_commit(
    *,
    subject: str,
    body: str,
    recipients: Iterable[str],
    attachments: list[list[str]] | None = None,
) -> None:
    """Queue `mail_send_task` for when the current transaction commits (at once outside one);
    nothing is queued for no recipient. The addresses are read now, inside the transaction."""
    addresses = sorted({address for address in recipients if address})
    if addresses:
        transaction.on_commit(
            lambda: mail_send_task.enqueue(
                subject=subject, body=body, recipients=addresses, attachments=attachments
            )
        )
