"""Reminders: notifications of a date coming up (a residence permit expiring, a review, a
follow-up check), sent by `manage.py reminders_send` (or its task), which the server runs
every day.

What is due is each app's to say, as it holds the dates: an app names a function on its
AppConfig, `reminders_due = "app.module.function"` (accounts.hooks), called with today's
date, which yields a `Due` for each date within its notice. A reminder's key holds its due
date: sending them twice tells nobody anything new, and a date that changed is told again.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.hooks import hooked
from accounts.models import STAFF_ROLES, User
from notifications.kinds import KINDS, sentence
from notifications.models import Notification
from notifications.services import notifications_send


@dataclass(frozen=True)
class Due:
    """One date coming up, and whom to remind of it. `recipients` is asked only when the
    reminder is sent (the page that lists what is due needs nobody)."""

    kind: str
    on: datetime.date
    key: str
    link: str
    params: dict
    recipients: Callable[[], list[User]] = field(compare=False)
    candidate: object = None

    @property
    def label(self) -> str:
        return Notification.Kind(self.kind).label

    @property
    def overdue(self) -> bool:
        return self.on < timezone.localdate()

    def text(self) -> str:
        """What the reminder says, in the active language (for the programme office's list:
        candidates by name)."""
        return sentence(KINDS[self.kind], self.params, mail=False)


class DueList:
    """The page of what is due, for the programme office: nothing of a model of its own."""

    ACTIONS = frozenset({"view"})

    @classmethod
    def permits(cls, user: User, action: str, obj=None) -> bool:
        return action == "view" and user.role in STAFF_ROLES


def due_items(today: datetime.date | None = None) -> list[Due]:
    """Every reminder due on `today` (by default the portal's today), by date: a query or two
    for each app's source."""
    today = today or timezone.localdate()
    items: list[Due] = []
    for _label, source in hooked("reminders_due"):
        items.extend(source(today=today))
    return sorted(items, key=lambda due: (due.on, due.kind, due.key))


def reminders_send(today: datetime.date | None = None) -> tuple[int, int]:
    """Send what is due on `today`; returns (reminders due, notifications written). Each is
    sent in a transaction of its own (`notifications_send`): one that fails leaves the
    others sent."""
    due, told = due_items(today), 0
    for item in due:
        told += notifications_send(
            kind=item.kind,
            user_ids=[user.pk for user in item.recipients()],
            key=item.key,
            link=item.link,
            params=item.params,
            candidate_id=getattr(item.candidate, "pk", None),
        )
    # The day's tidying of the apps that keep files for a while (`daily_tidy` hook).
    for _label, tidy in hooked("daily_tidy"):
        tidy()
    return len(due), told
