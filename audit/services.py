"""Writing the audit trail. The one way in: `audit_record` (and `audit_record_rows` for the
bulk writes of `audit.tracking`); and the one way out: `audit_purge`, after the retention."""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from audit import context
from audit.models import AuditEvent

BATCH = 500  # events a bulk write inserts per statement


def _subject(obj: models.Model | None, candidate_id: int | None) -> int | None:
    if candidate_id is not None or obj is None:
        return candidate_id
    if obj._meta.label_lower == "candidates.candidate":
        return obj.pk
    return getattr(obj, "candidate_id", None)


def _who(actor, ip: str | None) -> dict:
    """The acting user, their role and address: those given, else the current request's."""
    now = context.current()
    actor = actor if actor is not None else now.user
    return {
        "actor": actor,
        "actor_role": getattr(actor, "role", "") or "",
        "ip": ip if ip is not None else now.ip,
    }


def audit_record(
    action: str,
    obj: models.Model | None = None,
    *,
    fields: Iterable[str] = (),
    candidate_id: int | None = None,
    actor=None,
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
    count: int | None = None,
) -> AuditEvent:
    """Append one event: `action` (an AuditEvent.Action) on `obj`, by `actor` from `ip` (by
    default the current request's user and address), with the names of the changed `fields`.
    `candidate_id` says which person the event concerns when `obj` does not (it is read from
    a candidate, or from an object's `candidate_id`). `count`: how many records an export
    wrote or a purge deleted."""
    return AuditEvent.objects.create(
        **_who(actor, ip),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        candidate_id=_subject(obj, candidate_id),
        fields=sorted(fields),
        count=count,
    )


def audit_record_rows(
    action: str,
    model: type[models.Model],
    rows: Iterable[tuple[object, int | None, Sequence[str]]],
) -> int:
    """Append one event of `action` for each (pk, candidate id, field names) of `rows` of
    `model`, by the current user from the current address, in batched inserts. Returns how
    many."""
    who = _who(None, None)
    events = [
        AuditEvent(
            **who,
            action=action,
            object_type=model._meta.label_lower,
            object_id="" if pk is None else str(pk),
            candidate_id=candidate_id,
            fields=sorted(fields),
        )
        for pk, candidate_id, fields in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(events)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it
    is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Events older than this have been kept AUDIT_RETENTION_MONTHS: the purge deletes them."""
    return months_before(now or timezone.now(), settings.AUDIT_RETENTION_MONTHS)


@transaction.atomic
def audit_purge(*, dry_run: bool = False, actor=None) -> int:
    """Delete the events older than the retention (AUDIT_RETENTION_MONTHS) and record one
    "purge" event with how many; with `dry_run`, only say how many would go. Returns that
    number.

    One DELETE on the index of the events' time, past the model's `delete` (which refuses):
    the database's own rule (on PostgreSQL) lets rows older than six months go, and the
    retention is never shorter."""
    old = AuditEvent.objects.filter(at__lt=retention_cutoff())
    if dry_run:
        return old.count()
    deleted = old._raw_delete(old.db)
    audit_record(
        AuditEvent.Action.PURGE, object_type="audit.auditevent", actor=actor, count=deleted
    )
    return deleted
