"""Writing the audit trail. The one way in: `audit_record`."""

from collections.abc import Iterable

from django.db import models

from audit import context
from audit.models import AuditEvent


def _subject(obj: models.Model | None, candidate_id: int | None) -> int | None:
    if candidate_id is not None or obj is None:
        return candidate_id
    if obj._meta.label_lower == "candidates.candidate":
        return obj.pk
    return getattr(obj, "candidate_id", None)


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
) -> AuditEvent:
    """Append one event: `action` (an AuditEvent.Action) on `obj`, by `actor` from `ip` (by
    default the current request's user and address), with the names of the changed `fields`.
    `candidate_id` says which person the event concerns when `obj` does not (it is read from
    a candidate, or from an object's `candidate_id`)."""
    now = context.current()
    actor = actor if actor is not None else now.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_role=getattr(actor, "role", "") or "",
        ip=ip if ip is not None else now.ip,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        candidate_id=_subject(obj, candidate_id),
        fields=sorted(fields),
    )
