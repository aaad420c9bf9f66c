"""Reminders of the pathway's dates (the `reminders_due` hook of notifications.reminders): a
follow-up check after a hire, to the candidate's caseworkers, and a support action due, to
whoever follows it."""

import datetime
from collections.abc import Iterator
from functools import partial

from accounts.models import User
from notifications.kinds import Person
from notifications.models import Notification
from notifications.reminders import Due
from notifications.selectors import caseworkers_of
from training.models import FollowUp, SupportAction

Kind = Notification.Kind
# How long before a check or an action is due its people are told, and how long after the
# date one not yet made is still listed and told.
NOTICE_DAYS = 7
OVERDUE_DAYS = 30


def _window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=OVERDUE_DAYS), today + datetime.timedelta(
        days=NOTICE_DAYS
    )


def follow_ups_due(*, today: datetime.date) -> Iterator[Due]:
    """The follow-up checks still to make that are due within NOTICE_DAYS (or overdue by up
    to OVERDUE_DAYS): one reminder per check and due date, to the candidate's caseworkers."""
    checks = (
        FollowUp.objects.pending()
        .filter(due_on__range=_window(today), entry__candidate__erased_at__isnull=True)
        .select_related("entry__candidate", "entry__shortlist__need__company__organisation")
        .order_by("due_on", "pk")
    )
    for check in checks:
        entry = check.entry
        candidate = entry.candidate
        yield Due(
            kind=Kind.FOLLOW_UP_DUE,
            on=check.due_on,
            key=f"follow_up_due:{check.pk}:{check.due_on.isoformat()}",
            link=check.get_absolute_url(),
            params={
                "who": Person(name=str(candidate), number=candidate.pk, code=entry.code),
                "months": FollowUp.Months(check.months).label,
                "company": entry.shortlist.need.company,
                "date": check.due_on,
            },
            recipients=partial(caseworkers_of, candidate),
            candidate=candidate,
        )


def _followers(action: SupportAction) -> list[User]:
    """Who follows the action: its owner while active, else the candidate's caseworkers."""
    owner = action.owner
    if owner is not None and owner.is_active:
        return [owner]
    return caseworkers_of(action.candidate)


def actions_due(*, today: datetime.date) -> Iterator[Due]:
    """The support actions still open that are due within NOTICE_DAYS (or overdue by up to
    OVERDUE_DAYS): one reminder per action and due date, to whoever follows it."""
    actions = (
        SupportAction.objects.exclude(status__in=SupportAction.FINAL)
        .filter(due_on__range=_window(today), candidate__erased_at__isnull=True)
        .select_related("candidate", "owner")
        .order_by("due_on", "pk")
    )
    for action in actions:
        candidate = action.candidate
        yield Due(
            kind=Kind.ACTION_DUE,
            on=action.due_on,
            key=f"action_due:{action.pk}:{action.due_on.isoformat()}",
            link=action.get_absolute_url(),
            params={
                "who": Person(name=str(candidate), number=candidate.pk),
                "action": SupportAction.Kind(action.kind).label,
                "date": action.due_on,
            },
            recipients=partial(_followers, action),
            candidate=candidate,
        )
