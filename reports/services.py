"""Writes of the reports app: the programme workbook and the record of who exported what.

From the download page a workbook is asked for (`report_export_request`) and written by the
task worker (`report_export_run`) into the private storage, where only the person who asked
downloads it, until `EXPORT_FILE_HOURS` later (`export_files_expire`, run each day with the
reminders). From the command line it is written at once (`report_export`)."""

import datetime
import logging
import os
import uuid
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.access import can
from accounts.models import User
from audit.context import acting
from documents.storage import private_storage
from reports.exporting import workbook_write
from reports.figures import Period
from reports.models import ExportRecord

logger = logging.getLogger(__name__)

EXPORT_FOLDER = "exports"  # within PRIVATE_MEDIA_ROOT
# A request the same as one asked this recently and not yet written is that one.
SAME_REQUEST = datetime.timedelta(minutes=10)
# What a failed export tells its user: kept in English on the record, read in the reader's
# language (`ExportRecord.error_text`).
FAILED_TEXT = gettext_noop(
    "The workbook could not be written. Ask for it again; if it fails again, tell the "
    "portal's administrators."
)
NOT_ALLOWED_TEXT = gettext_noop("Your role no longer allows this export.")


def _record(*, actor: User, period: Period, full: bool, reason: str, source: str) -> ExportRecord:
    """The export asked for, checked and not saved: PermissionDenied for someone who may not
    have that version, ValidationError for a full one without a reason."""
    full_data = bool(full)
    if not can(actor, "export_full" if full_data else "export", ExportRecord):
        raise PermissionDenied
    record = ExportRecord(
        user=actor,
        kind=ExportRecord.Kind.FULL if full_data else ExportRecord.Kind.PSEUDONYMISED,
        reason=reason.strip(),
        source=source,
        campaign=period.campaign,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    if full_data and not record.reason:
        raise ValidationError({"reason": _("Say why the full data are needed.")})
    record.full_clean(exclude=["rows"])
    return record


def _period(record: ExportRecord) -> Period:
    return Period(campaign=record.campaign, date_from=record.date_from, date_to=record.date_to)


def report_export(
    *,
    actor: User,
    period: Period,
    target: str | os.PathLike | IO[bytes],
    full: bool = False,
    reason: str = "",
    source: str = ExportRecord.Source.COMMAND,
) -> ExportRecord:
    """Write the programme workbook to `target` now and record the export: who, when, which
    version, why, the period and the rows of each sheet (the command line's way).

    The record is checked before anything is written (a full export without a reason, or by
    someone who may not have it, writes nothing) and saved, done, once the workbook is
    complete. Not one atomic transaction: the workbook is read in a read-only snapshot of its
    own (see `reports.exporting`), and the record is a single insert."""
    record = _record(actor=actor, period=period, full=full, reason=reason, source=source)
    record.rows = workbook_write(
        target, actor=actor, period=period, full=record.kind == ExportRecord.Kind.FULL
    )
    record.status, record.finished_at = ExportRecord.Status.DONE, timezone.now()
    record.save()
    return record


@transaction.atomic
def report_export_request(
    *, actor: User, period: Period, full: bool = False, reason: str = ""
) -> ExportRecord:
    """Record the export `actor` asks for on the download page, queued for the task worker
    once this transaction commits (`reports.tasks.report_export_task`); checked as
    `report_export` checks it. The same export asked again while it is still queued or being
    written (a double submit, a second tab) is that one: nothing is queued twice (the
    asker's row is locked while it is looked for)."""
    record = _record(
        actor=actor, period=period, full=full, reason=reason, source=ExportRecord.Source.WEB
    )
    User.objects.select_for_update().filter(pk=actor.pk).first()
    same = ExportRecord.objects.filter(
        user=actor,
        kind=record.kind,
        reason=record.reason,
        campaign=record.campaign,
        date_from=record.date_from,
        date_to=record.date_to,
        status__in=[ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING],
        created_at__gte=timezone.now() - SAME_REQUEST,
    ).first()
    if same is not None:
        return same
    record.save()
    from reports.tasks import report_export_task

    transaction.on_commit(lambda: report_export_task.enqueue(record_id=record.pk))
    return record


def _claim(record_id: int) -> ExportRecord | None:
    """The queued export `record_id`, now being written; None when it is not queued (another
    worker took it, or it is over): a task enqueued twice writes it once."""
    claimed = ExportRecord.objects.filter(pk=record_id, status=ExportRecord.Status.QUEUED).update(
        status=ExportRecord.Status.RUNNING
    )
    if not claimed:
        return None
    return ExportRecord.objects.select_related("user", "campaign").get(pk=record_id)


def report_export_run(*, record_id: int, retry: bool = False) -> ExportRecord | None:
    """Write the queued export `record_id` into the private storage, as its user may see the
    programme now, and mark it done with its rows and file (then tell its user). When it
    cannot be written, the exception is raised again (for the worker's record and the log)
    and the export is queued again when `retry` (the task tries once more later), else
    failed, with a sentence for its user and no file. Returns the export, None when it was
    not queued. The audit trail's events of its changes name its user."""
    asker = ExportRecord.objects.filter(pk=record_id).values_list("user", flat=True).first()
    with acting(User.objects.filter(pk=asker).first()):
        record = _claim(record_id)
        if record is None:
            return None
        try:
            _workbook_store(record)
        except PermissionDenied:
            _failed(record, NOT_ALLOWED_TEXT)
            raise
        except BaseException:
            if retry:
                ExportRecord.objects.filter(pk=record.pk).update(status=ExportRecord.Status.QUEUED)
            else:
                _failed(record, FAILED_TEXT)
            raise
        record.status, record.finished_at = ExportRecord.Status.DONE, timezone.now()
        record.save(update_fields=["rows", "file", "status", "finished_at"])
    _ready_notify(record)
    return record


def _workbook_store(record: ExportRecord) -> None:
    """Write the workbook of `record` under a random name of the private storage, whole or
    not at all, and set its rows and file."""
    full = record.kind == ExportRecord.Kind.FULL
    if not can(record.user, "export_full" if full else "export", ExportRecord):
        raise PermissionDenied
    name = f"{EXPORT_FOLDER}/{uuid.uuid4().hex}.xlsx"
    path = private_storage().path(name)
    partial = f"{path}.part"
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    try:
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as target:
            rows = workbook_write(target, actor=record.user, period=_period(record), full=full)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    record.rows, record.file = rows, name


def _failed(record: ExportRecord, text: str) -> None:
    record.status, record.finished_at, record.error = (
        ExportRecord.Status.FAILED,
        timezone.now(),
        text,
    )
    record.save(update_fields=["status", "finished_at", "error"])


def _ready_notify(record: ExportRecord) -> None:
    """Tell the person who asked that the workbook is ready (in the portal only: the
    notification names no data)."""
    from notifications.models import Notification
    from notifications.services import notify

    notify(
        kind=Notification.Kind.EXPORT_READY,
        recipients=[record.user],
        key=f"export-ready:{record.pk}",
        link=record.get_absolute_url(),
        params={"when": record.created_at},
    )


def export_file_delete(record: ExportRecord) -> None:
    """Delete the workbook's file of `record` once the transaction that erased or expired it
    commits (at once outside one): a rollback keeps the file with the record."""
    if record.file:
        name = record.file
        transaction.on_commit(lambda: private_storage().delete(name))


def export_files_expire(now: datetime.datetime | None = None) -> int:
    """Delete the workbooks written more than EXPORT_FILE_HOURS ago; their records stay, done,
    with no file (the page says so and offers to ask again). An export still queued or being
    written that long after it was asked (its worker stopped) is marked failed. Returns how
    many files went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.EXPORT_FILE_HOURS)
    ExportRecord.objects.filter(
        status__in=[ExportRecord.Status.QUEUED, ExportRecord.Status.RUNNING],
        created_at__lt=cutoff,
    ).update(status=ExportRecord.Status.FAILED, finished_at=timezone.now(), error=FAILED_TEXT)
    expired = list(
        ExportRecord.objects.filter(finished_at__lt=cutoff)
        .exclude(file="")
        .values_list("pk", "file")
    )
    storage = private_storage()
    for pk, name in expired:
        ExportRecord.objects.filter(pk=pk, file=name).update(file="")
        storage.delete(name)
    if expired:
        logger.info(
            "Programme workbooks: %d files deleted after %d hours",
            len(expired),
            settings.EXPORT_FILE_HOURS,
        )
    return len(expired)
