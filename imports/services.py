"""Writes of the imports app: starting a background import, running it in the task worker,
and failing the jobs whose worker died.

A job's file is deleted when the job ends, whatever the outcome; a job still running
STALE_AFTER after it started (its worker was stopped) is marked failed, and its file
deleted, by the next job that runs (`import_jobs_stale_fail`)."""

import dataclasses
import datetime
import logging
import uuid
from collections import Counter
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from documents.storage import private_storage
from focus.spreadsheets import CellError, ImportRefused, ImportReport
from focus.spreadsheets.progress import progress_to
from imports.kinds import import_kinds
from imports.models import ImportJob

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(hours=6)  # far longer than the largest import takes
PROGRESS_EVERY = 250  # rows between two updates of a job's progress

OUTCOMES = {
    ImportJob.Status.DONE: gettext_lazy("done"),
    ImportJob.Status.REFUSED: gettext_lazy("the file was refused"),
    ImportJob.Status.FAILED: gettext_lazy("it failed, nothing was imported"),
}


@transaction.atomic
def import_job_start(
    *,
    kind: str,
    actor: User,
    file: IO[bytes],
    params: Mapping[str, Any],
    upload_key: str,
    rows: int,
) -> ImportJob:
    """Keep `file` privately and queue its import of `kind` with `params` for the task
    worker once this transaction commits. The same upload sent again (a double submit: the
    same `upload_key` from the same form) is the job the first one started."""
    if kind not in import_kinds():
        raise ValueError(f"No import of kind {kind!r}")
    User.objects.select_for_update().filter(pk=actor.pk).first()
    same = ImportJob.objects.filter(started_by=actor, upload_key=upload_key).first()
    if same is not None:
        return same
    file.seek(0)
    name = private_storage().save(f"imports/{uuid.uuid4().hex}.xlsx", File(file))
    job = ImportJob.objects.create(
        started_by=actor,
        kind=kind,
        params=dict(params),
        upload_key=upload_key,
        file_name=(getattr(file, "name", "") or "")[:255],
        file=name,
        rows_total=rows,
    )
    from imports.tasks import import_job_task

    transaction.on_commit(lambda: import_job_task.enqueue(job_id=job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run the queued job `job_id`: its kind's import of its file, as its user, in their
    language at upload, following its progress; then its report, the file deleted, the user told.
    None when the job is not queued (another worker took it, or it is over)."""
    import_jobs_stale_fail()
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    progress = _Progress(job.pk)
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            job.status, job.result = _run(job, progress)
    finally:
        progress.close()
        _file_delete(job.file)
    job.file, job.finished_at = "", timezone.now()
    if job.status == ImportJob.Status.DONE:
        job.rows_done = job.rows_total
    job.save(update_fields=["status", "result", "file", "finished_at", "rows_done", "rows_total"])
    _over_notify(job)
    return job


def _run(job: ImportJob, progress: "_Progress") -> tuple[str, dict | None]:
    kind = import_kinds()[job.kind]
    try:
        with (
            private_storage().open(job.file, "rb") as file,
            progress_to(progress, every=PROGRESS_EVERY),
        ):
            report = kind.run(file, job.params, job.started_by)
    except ImportRefused as refused:
        return ImportJob.Status.REFUSED, {"refused": refused.messages}
    except PermissionDenied:
        message = _("You may no longer run this import.")
        return ImportJob.Status.REFUSED, {"refused": [message]}
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        return ImportJob.Status.FAILED, None
    job.rows_total = progress.total or job.rows_total
    return ImportJob.Status.DONE, report_data(report)


def import_jobs_stale_fail(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the jobs running (or queued) longer than STALE_AFTER, whose worker died,
    and delete their files. Returns how many."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING],
        created_at__lt=now - STALE_AFTER,
    )
    count = 0
    for job in stale:
        updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportJob.Status.FAILED, file="", finished_at=now
        )
        if updated:
            _file_delete(job.file)
            count += 1
    return count


def _file_delete(name: str) -> None:
    if name:
        private_storage().delete(name)


def _over_notify(job: ImportJob) -> None:
    from notifications.models import Notification
    from notifications.services import notify

    outcome = OUTCOMES[job.status]
    if job.status == ImportJob.Status.DONE and job.result and job.result["fields"]["errors"]:
        outcome = gettext_lazy("problems found, nothing was imported")
    notify(
        kind=Notification.Kind.IMPORT_OVER,
        recipients=[job.started_by],
        key=f"import-over:{job.pk}",
        link=job.get_absolute_url(),
        params={"file": job.file_name, "when": job.created_at, "outcome": outcome},
    )


class _Progress:
    """Tells the job how far its import has gone, in one UPDATE every PROGRESS_EVERY rows.
    The writing runs in the import's transaction, which others see only once it commits:
    on PostgreSQL the progress goes through a connection of its own, committed at once
    (SQLite has one writer at a time: there the writing's progress shows when it ends)."""

    def __init__(self, pk: int):
        self.pk, self.total, self.side = pk, 0, None

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.total = total
        values = [stage, min(done, total), total, self.pk]
        if not connection.in_atomic_block or connection.vendor != "postgresql":
            ImportJob.objects.filter(pk=self.pk).update(
                stage=stage, rows_done=values[1], rows_total=total
            )
            return
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.side.ops.quote_name(ImportJob._meta.db_table)
        with self.side.cursor() as cursor:
            # The table's own name, quoted: no value of anybody's reaches the statement.
            columns = "stage = %s, rows_done = %s, rows_total = %s"
            sql = f"UPDATE {table} SET {columns} WHERE id = %s"  # noqa: S608 # nosec B608
            cursor.execute(sql, values)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


# The report, kept as JSON -------------------------------------------------------------------


def report_data(report: ImportReport) -> dict:
    """`report` as JSON: its class and its fields (problems as sheet, row, column, message)."""
    fields = {}
    for field in dataclasses.fields(report):
        value = getattr(report, field.name)
        if field.name == "errors":
            value = [[e.sheet, e.row, e.column, e.message] for e in value]
        elif isinstance(value, Counter):
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        fields[field.name] = value
    cls = type(report)
    return {"class": f"{cls.__module__}.{cls.__qualname__}", "fields": fields}


def report_from(data: Mapping[str, Any]) -> ImportReport:
    """The report `report_data` kept."""
    cls = import_string(data["class"])
    if not (isinstance(cls, type) and issubclass(cls, ImportReport)):
        raise ValueError("not an import report")
    fields = dict(data["fields"])
    fields["sheets"] = tuple(fields["sheets"])
    fields["errors"] = [CellError(*error) for error in fields["errors"]]
    fields["created"], fields["updated"] = Counter(fields["created"]), Counter(fields["updated"])
    return cls(**fields)
