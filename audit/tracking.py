"""The events of the followed models (audit.registry), written as their rows are written.

- One save: `post_save` writes "create" (with the fields given a value) or "change" (with
  the fields whose value differs from the one loaded); `post_delete` writes "delete". The
  values loaded are kept on the instance, in memory only, when it is built (`post_init`),
  to compare with at the next save; nothing but the fields' names reaches the trail.
- Many rows at once: the followed models' managers hand out the audited QuerySet below,
  whose `update()`, `bulk_create()` and `bulk_update()` write one event per row affected,
  with the fields updated, in batched inserts. (`QuerySet.delete()` sends `post_delete` for
  every row, as it does whenever a receiver listens.)

Events are written in the same transaction as the rows: rolled back together.
"""

import contextvars
import copy

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_delete

from audit.models import AuditEvent
from audit.registry import Tracked, tracked
from audit.services import audit_record, audit_record_rows

LOADED = "_audit_loaded"  # the values as loaded (or as last saved), on the instance
CANDIDATE = "_audit_candidate"  # a deleted row's candidate, read before the delete
_MISSING = object()

# Set while Django's bulk_update runs the updates it is made of: bulk_update writes the
# events itself, from the objects it was given.
_in_bulk_update: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "audit_in_bulk_update", default=False
)


def follow(spec: Tracked) -> None:
    """Connect the signals of `spec.model` and give its managers the audited QuerySet."""
    model = spec.model
    uid = f"audit.{model._meta.label_lower}"
    post_init.connect(_loaded, sender=model, dispatch_uid=f"{uid}.init", weak=False)
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}.save", weak=False)
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}.deleting", weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    _audit_managers(model)


def _value(value):
    return copy.deepcopy(value) if isinstance(value, list | dict) else value


def _remember(instance: models.Model, spec: Tracked, only=None) -> None:
    """Keep the values of `instance` to compare with at its next save: all of them, or only
    the fields `only` names (a save with update_fields wrote no other)."""
    state = instance.__dict__
    loaded = state.setdefault(LOADED, {}) if only is not None else {}
    for name, attname, _field in spec.fields:
        if attname in state and (only is None or name in only or attname in only):
            loaded[attname] = _value(state[attname])
    state[LOADED] = loaded


def _loaded(sender, instance, **kwargs) -> None:
    _remember(instance, tracked(sender))


def _differs(field: models.Field, old, new) -> bool:
    if old is _MISSING:
        return True  # deferred when loaded: it may have changed
    if old == new:
        return False
    try:
        return field.to_python(old) != field.to_python(new)
    except (ValidationError, TypeError, ValueError):
        return True


def _changed(instance: models.Model, spec: Tracked, update_fields) -> list[str]:
    loaded = instance.__dict__.get(LOADED, {})
    state = instance.__dict__
    return [
        name
        for name, attname, field in spec.fields
        if (update_fields is None or name in update_fields or attname in update_fields)
        and attname in state
        and _differs(field, loaded.get(attname, _MISSING), state[attname])
    ]


def _filled(instance: models.Model, spec: Tracked) -> list[str]:
    """The fields a new row was given a value in (other than the field's default)."""
    names = []
    for name, attname, field in spec.fields:
        value = instance.__dict__.get(attname)
        if value in (None, "", [], {}):
            continue
        if field.has_default() and not callable(field.default) and value == field.default:
            continue
        names.append(name)
    return names


def candidate_of(instance: models.Model, spec: Tracked) -> int | None:
    """The id of the candidate the row concerns, following `spec.candidate` from it."""
    if not spec.candidate:
        return None
    target = instance
    *path, last = spec.candidate.split("__")
    for part in path:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, last, None)


def _saved(sender, instance, created, update_fields, raw=False, **kwargs) -> None:
    if raw:
        return  # fixtures loaded as they are
    spec = tracked(sender)
    if created:
        action, fields = spec.created, _filled(instance, spec)
    else:
        action, fields = AuditEvent.Action.CHANGE, _changed(instance, spec, update_fields)
    if created or fields:
        audit_record(action, instance, fields=fields, candidate_id=candidate_of(instance, spec))
    _remember(instance, spec, only=None if created else update_fields)


def _deleting(sender, instance, **kwargs) -> None:
    # Read while the rows the lookup crosses still exist (a cascade deletes them too).
    instance.__dict__[CANDIDATE] = candidate_of(instance, tracked(sender))


def _deleted(sender, instance, **kwargs) -> None:
    spec = tracked(sender)
    candidate_id = instance.__dict__.pop(CANDIDATE, _MISSING)
    if candidate_id is _MISSING:
        candidate_id = candidate_of(instance, spec)
    audit_record(AuditEvent.Action.DELETE, instance, candidate_id=candidate_id)


def _named(spec: Tracked, names) -> list[str]:
    """Of `names` (fields or attnames, as update() and bulk_update() take them), the fields
    an event may name."""
    given = set(names)
    return [name for name, attname, _field in spec.fields if name in given or attname in given]


class AuditedQuerySet(models.QuerySet):
    """The bulk writes of a followed model, each with one event per row it wrote."""

    def update(self, **kwargs):
        spec = tracked(self.model)
        if spec is None or _in_bulk_update.get():
            return super().update(**kwargs)
        lookups = ["pk", spec.candidate] if spec.candidate and spec.candidate != "pk" else ["pk"]
        with transaction.atomic(using=self.db, savepoint=False):
            rows = list(self.values_list(*lookups))
            count = super().update(**kwargs)
            fields = _named(spec, kwargs)
            if fields:
                audit_record_rows(
                    AuditEvent.Action.CHANGE,
                    self.model,
                    [(row[0], row[-1] if spec.candidate else None, fields) for row in rows],
                )
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        spec = tracked(self.model)
        if spec is not None and created:
            # bulk_create sends no post_save: the new rows are told here, by their fields.
            rows = [(obj.pk, candidate_of(obj, spec), _filled(obj, spec)) for obj in created]
            audit_record_rows(spec.created, self.model, rows)
            for obj in created:
                _remember(obj, spec)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        token = _in_bulk_update.set(True)
        try:
            count = super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _in_bulk_update.reset(token)
        spec = tracked(self.model)
        named = _named(spec, fields) if spec is not None else []
        if named and objs:
            rows = [(obj.pk, candidate_of(obj, spec), named) for obj in objs]
            audit_record_rows(AuditEvent.Action.CHANGE, self.model, rows)
            for obj in objs:
                _remember(obj, spec)
        return count

    bulk_update.alters_data = True


def _audited_class(manager_class: type) -> type:
    """A subclass of `manager_class` whose QuerySet is also an AuditedQuerySet, under the
    same module and name (so that a migration's manager reads as it did)."""
    queryset_class = manager_class._queryset_class
    if issubclass(queryset_class, AuditedQuerySet):
        return manager_class
    audited_queryset = type(
        queryset_class.__name__,
        (AuditedQuerySet, queryset_class),
        {"__module__": queryset_class.__module__, "__qualname__": queryset_class.__qualname__},
    )

    def __eq__(self, other):  # equal to the manager it stands for, as migrations compare
        same_args = self._constructor_args == getattr(other, "_constructor_args", None)
        return isinstance(other, manager_class) and same_args

    return type(
        manager_class.__name__,
        (manager_class,),
        {
            "_queryset_class": audited_queryset,
            "__module__": manager_class.__module__,
            "__qualname__": manager_class.__qualname__,
            "__eq__": __eq__,
            "__hash__": manager_class.__hash__,
        },
    )


def _audit_managers(model: type[models.Model]) -> None:
    """The model's managers (those it declares, and its own copies Django hands out) hand
    out the audited QuerySet; related managers, built later from the default manager's
    class, inherit it."""
    for manager in [*model._meta.local_managers, *model._meta.managers]:
        manager.__class__ = _audited_class(manager.__class__)
