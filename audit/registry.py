"""Which records the audit trail follows, as each app declares them.

An app lists its followed models on its AppConfig as `audited = ("app.Model", Audited(...))`
(apps to the right of `audit` may import `Audited`; the audit app declares `accounts.User`
itself, as accounts imports no app to its right). `install()`, run once the models are
loaded, connects the model signals of `audit.tracking` for each of them and gives their
managers the audited QuerySet, so that `update()`, `bulk_create()` and `bulk_update()` write
their events too."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Audited:
    """A followed model, and how its events read.

    `created`: the action a new row records ("create"; "consent" for the consent log).
    `quiet`: fields whose change another record's event already tells (the candidate's
    current consents, kept from the consent log), left out of the change events.
    `candidate`: the lookup from a row to the id of the candidate it concerns, when the model
    has no `candidate` of its own (an assessment: "interview__candidate_id")."""

    model: str
    created: str = "create"
    quiet: tuple[str, ...] = ()
    candidate: str = ""


# Fields no event names: the bookkeeping every save changes by itself.
BOOKKEEPING = frozenset({"version"})


@dataclass
class Tracked:
    """An Audited entry resolved against its model, with the fields events may name as
    (name, attname, field) and the lookup to the candidate ("" when none)."""

    model: type[models.Model]
    created: str
    candidate: str
    fields: list[tuple[str, str, models.Field]] = field(default_factory=list)


_tracked: dict[type[models.Model], Tracked] = {}


def declared() -> list[Audited]:
    """Every model the apps declare as audited, in the apps' order."""
    entries = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "audited", ()):
            entries.append(entry if isinstance(entry, Audited) else Audited(entry))
    return entries


def _candidate_lookup(model: type[models.Model], entry: Audited) -> str:
    if entry.candidate:
        return entry.candidate
    if model._meta.label_lower == "candidates.candidate":
        return "pk"
    names = {f.name for f in model._meta.concrete_fields}
    return "candidate_id" if "candidate" in names else ""


def _resolve(entry: Audited) -> Tracked:
    model = apps.get_model(entry.model)
    skipped = BOOKKEEPING | set(entry.quiet)
    fields = [
        (f.name, f.attname, f)
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in skipped
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]
    return Tracked(model, entry.created, _candidate_lookup(model, entry), fields)


def install() -> None:
    """Follow every declared model (once; called from AuditConfig.ready)."""
    from audit import tracking

    for entry in declared():
        tracked = _resolve(entry)
        if tracked.model in _tracked:
            continue
        _tracked[tracked.model] = tracked
        tracking.follow(tracked)


def tracked(model: type[models.Model]) -> Tracked | None:
    return _tracked.get(model)


def tracked_models() -> list[type[models.Model]]:
    return list(_tracked)
