"""Reading the audit trail: the filtered events, a page at a time by keyset (the table grows
to millions of rows: no page numbers, no count of the whole), and the names to show."""

import datetime
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.access import scope
from accounts.models import User
from audit.models import AuditEvent
from audit.registry import tracked_models

PAGE_SIZE = 50
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the (at, pk) of its last event. Older events come after it."""

    at: datetime.datetime
    pk: int

    @property
    def token(self) -> str:
        return f"{(self.at - EPOCH) // MICROSECOND}-{self.pk}"

    @classmethod
    def parse(cls, token: str) -> "Cursor | None":
        """The cursor a token names; None for none or a token that is no cursor."""
        micros, _dash, pk = (token or "").partition("-")
        if not (micros.isdigit() and pk.isdigit()):
            return None
        try:
            return cls(EPOCH + int(micros) * MICROSECOND, int(pk))
        except OverflowError:
            return None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def event_list(
    *,
    actor: User,
    action: str = "",
    record: str = "",
    user: str = "",
    candidate: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The events `actor` may read, filtered, newest first, with who did them. `user` is a
    username (any case) or a user's number; the dates are whole days, local time."""
    events = scope(actor, AuditEvent).select_related("actor")
    if action:
        events = events.filter(action=action)
    if record:
        events = events.filter(object_type=record)
    if user:
        users = Q(username__iexact=user)
        if user.isdigit():
            users |= Q(pk=int(user))
        events = events.filter(actor__in=User.objects.filter(users).values("pk"))
    if candidate is not None:
        events = events.filter(candidate_id=candidate)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return events.order_by("-at", "-pk")


def event_page(
    events: QuerySet, cursor: Cursor | None, size: int = PAGE_SIZE
) -> tuple[list[AuditEvent], Cursor | None]:
    """The `size` events after `cursor` (from the newest without one), and the cursor of the
    next, older page (None when there is none): one query, which reads one more row."""
    if cursor is not None:
        events = events.filter(Q(at__lt=cursor.at) | Q(at=cursor.at, pk__lt=cursor.pk))
    rows = list(events[: size + 1])
    older = Cursor(rows[size - 1].at, rows[size - 1].pk) if len(rows) > size else None
    return rows[:size], older


@cache
def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def record_types() -> list[tuple[str, str]]:
    """(object_type, name) of the records the trail names: those it follows, and itself (its
    exports and purges)."""
    models = [*tracked_models(), AuditEvent]
    return sorted(
        ((model._meta.label_lower, str(model._meta.verbose_name).capitalize()) for model in models),
        key=lambda choice: choice[1],
    )


def record_name(object_type: str) -> str:
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def field_names(object_type: str, fields: list[str]) -> list[str]:
    """The labels of an event's fields, as the record's form names them."""
    model = _model(object_type) if object_type else None
    names = []
    for name in fields:
        try:
            names.append(str(model._meta.get_field(name).verbose_name) if model else name)
        except FieldDoesNotExist:
            names.append(name)
    return names
