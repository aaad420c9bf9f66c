"""The data subject's rights over what the portal holds about a candidate: access and
portability (GDPR art. 15 and 20: `subject_data`, written as a workbook, as JSON and as a
summary page), erasure (art. 17: `candidate_erase`) and retention (art. 5.1.e:
`retention_due`, acted on by `manage.py purge_expired`).

What is the person's is not a list kept by hand: `held_records()` walks, at run time, every
model whose foreign key leads to the candidate, from Candidate outwards (their interviews,
each interview's assessment, the assessment's obstacles, their shortlist entries and the
entries' events...), through the app registry. A model any app adds with a key to one of
them is exported, erased and counted as activity with no change here, and this app imports
none of the apps to its right. What the fields alone do not say, an app declares on its
AppConfig as `subject_data`, by model label:

- "kept": text that is no free text, which the erasure keeps (a code the portal generated,
  the ranking's figures, the version of the privacy notice a consent was given with);
- "erased_as": the neutral value the erasure writes instead of a blank;
- "hidden": fields left out of the export, being no data of the person;
- "not_activity": date-times that are no activity of the person (retention);
- "title", "labels": the sheet's title and column headers where the model names none.

An app whose records no blank can make anonymous (a scanned document) names a function on its
AppConfig as `subject_erase`: the erasure calls it with the candidate and the actor, in its
transaction, once the free texts are blanked, and it deletes them.

Retention: a candidate is due for erasure once RETENTION_MONTHS have passed since the last
activity in their file, the latest date-time of any record of theirs (registration and last
change, consents, status changes, interviews, including those scheduled, assessments,
shortlist entries and their events, support actions, enrolments, attendance, follow-ups...),
unless they are in post (an app to the right says who is: `subject_in_post`) or were already
erased.
"""

import datetime
import functools
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Max, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField
from openpyxl import Workbook

from accounts.hooks import hooked
from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record, months_before
from candidates.models import Candidate, Consent
from candidates.services import candidate_set_status, consents_apply
from catalog.versions import VersionedModel
from focus.cache import touch
from focus.figures import KEPT
from focus.spreadsheets.writing import header_cells, text_cell

logger = logging.getLogger(__name__)

# Column headers for the fields that name none of their own.
COMMON_LABELS = {
    "id": gettext_lazy("number"),
    "candidate": gettext_lazy("candidate"),
    "created_at": gettext_lazy("created on"),
    "updated_at": gettext_lazy("last changed"),
    "added_at": gettext_lazy("added on"),
    "recorded_at": gettext_lazy("recorded on"),
    "at": gettext_lazy("when"),
    "from_status": gettext_lazy("from"),
    "to_status": gettext_lazy("to"),
    "note": gettext_lazy("note"),
}
# Whoever acted on a record is named by their role only: the export is the person's, not
# their caseworkers' or recruiters'.
ACTOR_LABEL = gettext_lazy("who (role)")


@dataclass(frozen=True)
class Held:
    """One kind of record held about a candidate, as the registry resolved it."""

    model: type[models.Model]
    # Lookups from a row to the id of its candidate ("pk" for the candidate's own row).
    paths: tuple[str, ...]
    title: str
    fields: tuple[models.Field, ...]  # exported, in the model's order
    labels: dict[str, str]
    free_text: tuple[models.Field, ...]  # blanked by the erasure
    erased_as: dict[str, Any]
    activity: tuple[str, ...]  # date-times that count as the person's activity

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def rows(self, candidate_id: int) -> QuerySet:
        """The rows of this kind that are the candidate's. Every lookup follows foreign keys
        from the row towards the candidate, so no row comes twice."""
        condition = Q()
        for path in self.paths:
            condition |= Q(**{path: candidate_id})
        return self.model._default_manager.filter(condition)

    def erasure(self) -> dict[str, Any]:
        """What the erasure writes into every row: its free text blanked, or neutral."""
        values = {}
        for text in self.free_text:
            if text.name in self.erased_as:
                values[text.attname] = str(self.erased_as[text.name])
            elif isinstance(text, models.JSONField):
                values[text.attname] = text.get_default()
            else:
                values[text.attname] = None if text.null else ""
        return values


def _declarations() -> dict[str, dict]:
    declared = {}
    for config in apps.get_app_configs():
        for label, declaration in getattr(config, "subject_data", {}).items():
            declared[apps.get_model(label)._meta.label_lower] = declaration
    return declared


def _is_free_text(field: models.Field) -> bool:
    if field.primary_key or field.choices or field.is_relation:
        return False
    return isinstance(field, models.CharField | models.TextField | models.JSONField)


def _label(field: models.Field, declared: dict) -> str:
    if field.name in declared:
        return declared[field.name]
    if isinstance(field.verbose_name, Promise):
        return field.verbose_name
    if field.is_relation and field.related_model is User:
        return ACTOR_LABEL
    if field.name in COMMON_LABELS:
        return COMMON_LABELS[field.name]
    if field.is_relation:
        return field.related_model._meta.verbose_name
    return field.verbose_name


def _title(model: type[models.Model], declaration: dict) -> str:
    if "title" in declaration:
        return declaration["title"]
    plural = str(model._meta.verbose_name_plural)
    return plural[:1].upper() + plural[1:]


def _resolve(model: type[models.Model], paths: list[str], declaration: dict) -> Held:
    hidden = {"version", *declaration.get("hidden", ())}
    kept = set(declaration.get("kept", ()))
    concrete = [f for f in model._meta.concrete_fields if f.name not in hidden]
    labels = declaration.get("labels", {})
    quiet = set(declaration.get("not_activity", ()))
    return Held(
        model=model,
        paths=tuple(paths),
        title=_title(model, declaration),
        fields=tuple(concrete),
        labels={f.name: _label(f, labels) for f in concrete},
        free_text=tuple(
            f for f in model._meta.concrete_fields if _is_free_text(f) and f.name not in kept
        ),
        erased_as=dict(declaration.get("erased_as", {})),
        activity=tuple(
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and f.name not in quiet
        ),
    )


@functools.cache
def held_records() -> tuple[Held, ...]:
    """Every kind of record held about a candidate: Candidate, then the models whose foreign
    keys lead to it, nearest first (breadth first through the reverse relations, hidden ones
    included). A model reached more than one way keeps every way (a support action is the
    candidate's, and so is the assessment it came from)."""
    paths: dict[type[models.Model], list[str]] = {Candidate: ["pk"]}
    queue = [Candidate]
    while queue:
        model = queue.pop(0)
        for relation in model._meta.get_fields(include_hidden=True):
            if not relation.auto_created or relation.concrete or relation.many_to_many:
                continue
            child = relation.related_model
            if child._meta.auto_created:
                continue  # the table of a many-to-many field: keys only
            name = relation.field.name
            ways = [name if path == "pk" else f"{name}__{path}" for path in paths[model]]
            if child in paths:
                paths[child] += [way for way in ways if way not in paths[child]]
            else:
                paths[child] = ways
                queue.append(child)
    declared = _declarations()
    return tuple(
        _resolve(model, ways, declared.get(model._meta.label_lower, {}))
        for model, ways in paths.items()
    )


# Access and portability ----------------------------------------------------------------------


@dataclass
class Section:
    """The candidate's records of one kind: a sheet of the workbook, a list of the JSON, a
    section of the summary page. `rows` hold the values as a person reads them: a choice's
    label, a catalogue entry's name, an actor's role, a related record's number."""

    key: str
    title: str
    columns: list[tuple[str, str]]  # (field name, header)
    rows: list[list] = field(default_factory=list)

    def entries(self) -> list[list[tuple[str, Any]]]:
        """Each row as (header, value) pairs of the values it has, for reading."""
        headers = [label for _name, label in self.columns]
        return [
            [
                (header, _shown(value))
                for header, value in zip(headers, row, strict=True)
                if value not in (None, "", [], {})
            ]
            for row in self.rows
        ]


def _shown(value: Any) -> Any:
    """`value` as the summary page shows it: dates and numbers in the reader's format."""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return number_format(value)
    return _readable(value)


def _readable(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return value


class _Roles(dict):
    """Users' roles by id, read once for the ids asked."""

    def of(self, user_ids: Iterable[int]) -> None:
        missing = {pk for pk in user_ids if pk is not None and pk not in self}
        if missing:
            labels = dict(User.Role.choices)
            for pk, role in User.objects.filter(pk__in=missing).values_list("pk", "role"):
                self[pk] = str(labels.get(role, role))


def _value(obj: models.Model, f: models.Field, held_models: set, roles: _Roles) -> Any:
    raw = getattr(obj, f.attname)
    if raw is None:
        return None
    if f.is_relation:
        if f.related_model is User:
            return roles.get(raw)
        if f.related_model in held_models:
            return raw
        return str(getattr(obj, f.name))
    if isinstance(f, CountryField):
        return str(getattr(obj, f.name).name) or None
    if f.choices:
        return str(obj._get_FIELD_display(f)) if raw != "" else None
    if isinstance(raw, datetime.datetime):
        return timezone.localtime(raw)
    return raw


def subject_data(candidate: Candidate) -> list[Section]:
    """Everything the portal holds about `candidate`, one section per kind of record (the
    empty ones too: the person learns that there are none). A query or two per kind."""
    held = held_records()
    held_models = {h.model for h in held}
    roles = _Roles()
    sections = []
    for kind in held:
        outside = [
            f.name
            for f in kind.fields
            if f.is_relation and f.related_model is not User and f.related_model not in held_models
        ]
        rows = list(kind.rows(candidate.pk).select_related(*outside).order_by("pk"))
        actors = [f.attname for f in kind.fields if f.is_relation and f.related_model is User]
        roles.of(getattr(row, attname) for row in rows for attname in actors)
        sections.append(
            Section(
                key=kind.key,
                title=str(kind.title),
                columns=[(f.name, str(kind.labels[f.name])) for f in kind.fields],
                rows=[[_value(row, f, held_models, roles) for f in kind.fields] for row in rows],
            )
        )
    return sections


def records_count(sections: list[Section]) -> int:
    return sum(len(section.rows) for section in sections)


def _cell(sheet, value: Any):
    """`value` as a workbook cell; a text never reads as a formula."""
    value = _readable(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if not isinstance(value, str | Promise):
        return value
    return text_cell(sheet, str(value))


def _sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel takes: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()[:31]
    name, n = clean or "-", 1
    while name.lower() in taken:
        n += 1
        name = f"{clean[: 31 - len(str(n)) - 1]} {n}"
    taken.add(name.lower())
    return name


def workbook_write(target: IO[bytes], candidate: Candidate, sections: list[Section]) -> None:
    """The sections as a workbook: a first sheet saying what it is, then one sheet per kind
    of record, one row per record."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    about = workbook.create_sheet(_sheet_title(_("Contents"), taken))
    about.column_dimensions["A"].width = 40
    heading = _("Personal data of candidate no. %(number)s") % {"number": candidate.pk}
    about.append(header_cells(about, [heading]))
    about.append([_("Exported on"), timezone.localtime().replace(tzinfo=None)])
    about.append([])
    about.append(header_cells(about, [_("Sheet"), _("Records")]))
    titles = [_sheet_title(section.title, taken) for section in sections]
    for title, section in zip(titles, sections, strict=True):
        about.append([title, len(section.rows)])
    for title, section in zip(titles, sections, strict=True):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append(header_cells(sheet, [label for _name, label in section.columns]))
        for row in section.rows:
            sheet.append([_cell(sheet, value) for value in row])
    workbook.save(target)


def subject_json(candidate: Candidate, sections: list[Section]) -> bytes:
    """The sections as JSON, for the person to take elsewhere (portability): each kind of
    record with its fields' names and headers and its rows by field name."""
    document = {
        "candidate": candidate.pk,
        "exported_at": timezone.localtime(),
        "records": [
            {
                "model": section.key,
                "title": section.title,
                "fields": dict(section.columns),
                "rows": [
                    dict(zip((name for name, _label in section.columns), row, strict=True))
                    for row in section.rows
                ],
            }
            for section in sections
        ],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def shared_with(candidate: Candidate) -> list[dict]:
    """Who the candidate's data were shared with, as the apps to the right say
    (`subject_shared_with`): each a dict with "company", "need", "status" and "shared_at"."""
    shared = []
    for _label, of in hooked("subject_shared_with"):
        shared += of(candidate=candidate)
    return shared


# Retention -------------------------------------------------------------------------------------


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """A candidate whose last activity is older than this is due for erasure."""
    return months_before(now or timezone.now(), settings.RETENTION_MONTHS)


def _in_post() -> list[QuerySet]:
    return [in_post() for _label, in_post in hooked("subject_in_post")]


def retention_due(now: datetime.datetime | None = None) -> QuerySet:
    """The candidates due for erasure (see the module): not erased, not in post, and no
    activity since `retention_cutoff`. One query: for each kind of record, the candidates
    with a recent one are left out (`pk NOT IN (subquery)`), whatever their number."""
    cutoff = retention_cutoff(now)
    due = Candidate.objects.filter(erased_at__isnull=True)
    for kind in held_records():
        if not kind.activity:
            continue
        recent = Q()
        for name in kind.activity:
            recent |= Q(**{f"{name}__gte": cutoff})
        for path in kind.paths:
            active = kind.model._base_manager.filter(recent, **{f"{path}__isnull": False})
            due = due.exclude(pk__in=active.values(path))
    for in_post in _in_post():
        due = due.exclude(pk__in=in_post)
    return due.order_by("pk")


def last_activity(candidates: QuerySet) -> dict[int, datetime.datetime]:
    """The last activity of each of `candidates` (a queryset), by id: one grouped query per
    kind of record and way to the candidate."""
    ids = candidates.order_by().values("pk")
    latest: dict[int, datetime.datetime] = {}
    for kind in held_records():
        if not kind.activity:
            continue
        for path in kind.paths:
            aggregates = {f"latest_{i}": Max(name) for i, name in enumerate(kind.activity)}
            groups = (
                kind.model._base_manager.filter(**{f"{path}__in": ids})
                .order_by()
                .values(path)
                .annotate(**aggregates)
            )
            for group in groups:
                pk = group.pop(path)
                moments = [moment for moment in group.values() if moment is not None]
                if pk in latest:
                    moments.append(latest[pk])
                if moments:
                    latest[pk] = max(moments)
    return latest


def months_after(moment: datetime.datetime, months: int) -> datetime.datetime:
    return months_before(moment, -months)


@dataclass(frozen=True)
class Retention:
    """How long the candidate's data are kept: `until` RETENTION_MONTHS after the `last`
    activity, or for as long as they are in post (`until` None)."""

    last: datetime.datetime | None
    until: datetime.datetime | None
    in_post: bool
    months: int


def retention_of(candidate: Candidate) -> Retention:
    """The retention of one candidate: a query per kind of record and way to them (indexed
    by the candidate), and one per app that says who is in post."""
    last = last_activity(Candidate.objects.filter(pk=candidate.pk)).get(candidate.pk)
    in_post = any(
        Candidate.objects.filter(pk=candidate.pk, pk__in=query).exists() for query in _in_post()
    )
    months = settings.RETENTION_MONTHS
    until = months_after(last, months) if last and not in_post else None
    return Retention(last=last, until=until, in_post=in_post, months=months)


# Erasure ---------------------------------------------------------------------------------------


def _admin_log_neutralise(candidate_id: int) -> None:
    """The admin site's log names the candidate's records by type and number only, and says
    nothing of what changed in them."""
    for kind in held_records():
        ids = [str(pk) for pk in kind.rows(candidate_id).values_list("pk", flat=True)]
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(kind.model, for_concrete_model=False)
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids).update(
            object_repr=Concat(Value(f"{kind.key} #"), F("object_id")), change_message=""
        )


def _rows_erase(kind: Held, candidate_id: int) -> None:
    values = kind.erasure()
    if not values:
        return
    if issubclass(kind.model, VersionedModel):
        values["version"] = F("version") + 1  # an edit form opened before cannot undo it
    kind.rows(candidate_id).update(**values)
    touch("ranking", KEPT)  # update() sends no signal


def _identity_erase(candidate: Candidate, kind: Held) -> None:
    for attname, value in kind.erasure().items():
        setattr(candidate, attname, value)
    if candidate.birth_date is not None:
        # The year alone: the programme's figures still count the person in their age band.
        candidate.birth_date = datetime.date(candidate.birth_date.year, 7, 1)
    candidate.birth_country = ""
    candidate.erased_at = timezone.now()
    candidate.save()


@transaction.atomic
def candidate_erase(*, candidate: Candidate, actor: User) -> Candidate:
    """Erase the person's data (GDPR art. 17), keeping the programme's figures and the proof
    of consent. All at once, in one transaction:

    - their consents are withdrawn, taking effect everywhere as any withdrawal does (their
      open shortlist entries are withdrawn, company pages show the application as no longer
      available); the consent log stays, as the proof the law asks for;
    - every free text of every record held about them (`held_records`) is blanked, their
      name becomes a neutral one; codice fiscale, contacts, address and country of birth go,
      the birth date keeps its year. Structured values stay (sex, nationality, comune, levels,
      classes, dates, catalogue entries), and no row is deleted: shortlists, interviews and
      courses keep their counts; but what an app says no blank can make anonymous
      (`subject_erase` hooks: the documents uploaded, and their files) is deleted;
    - the admin site's log names their records by type and number only;
    - the candidate is withdrawn, and `erased_at` set: their page says so and allows no edit.

    Recorded as an "erase" event, with no values, and logged by number. Raises
    ValidationError if the data were already erased."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise ValidationError(_("This person's data were already erased."), code="erased")
    # The office decides an erasure itself: no e-mail tells it of the withdrawal.
    consents_apply(
        candidate=candidate, consents={Consent.PROGRAMME: False}, actor=actor, tell=False
    )
    kinds = held_records()
    with translation.override(settings.LANGUAGE_CODE):
        for kind in kinds:
            if kind.model is not Candidate:
                _rows_erase(kind, candidate.pk)
        _admin_log_neutralise(candidate.pk)
        # What an app holds that no blank makes anonymous goes whole (documents: their files).
        for _label, erase in hooked("subject_erase"):
            erase(candidate=candidate, actor=actor)
        candidate_set_status(
            candidate=candidate,
            status=Candidate.Status.WITHDRAWN,
            actor=actor,
            reason=_("Personal data erased"),
        )
        _identity_erase(candidate, kinds[0])
    audit_record(AuditEvent.Action.ERASE, candidate, actor=actor)
    logger.info("Candidate %s erased", candidate.pk)
    return candidate


@transaction.atomic
def candidate_purge(*, candidate: Candidate, actor: User) -> bool:
    """Erase `candidate` as the retention rule asks, if they are still due (something may
    have happened since they were listed: their own records are read again, not everybody's).
    Recorded as a "purge" event besides the erasure's own, and logged by number. Returns
    whether they were erased."""
    retention = retention_of(candidate)
    if candidate.erased_at is not None or retention.in_post or retention.last is None:
        return False
    if retention.last >= retention_cutoff():
        return False
    candidate_erase(candidate=candidate, actor=actor)
    audit_record(AuditEvent.Action.PURGE, candidate, actor=actor)
    logger.info("Candidate %s purged: kept %s months", candidate.pk, settings.RETENTION_MONTHS)
    return True
