"""Background work of the notifications app, run by the task worker."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def reminders_send_task() -> int:
    """Send the reminders due today (`notifications.reminders.reminders_send`); returns how
    many notifications were written. The log counts them, never what they say."""
    from notifications.reminders import reminders_send

    due, told = reminders_send()
    logger.info("Reminders: %d due, %d notifications written", due, told)
    return told
