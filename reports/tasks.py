"""Background work of the reports app, run by the task worker after the request commits."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# How often a workbook is tried before its export is marked failed, and how long the worker
# waits before the second try (a database restarting, a full disk being cleared).
EXPORT_ATTEMPTS = 2
EXPORT_RETRY_DELAY = datetime.timedelta(minutes=2)


@task()
def report_export_task(*, record_id: int, attempt: int = 1) -> None:
    """Write the programme workbook of the queued export `record_id`
    (`reports.services.report_export_run`). When it fails, it is tried once more later, when
    the task backend can defer work; the last failure marks the export failed. The task ends
    as failed each time, so that the worker's record keeps the error; the log names the
    export's number, never its data."""
    from reports.services import report_export_run

    backend = report_export_task.get_backend()
    retry = attempt < EXPORT_ATTEMPTS and backend.supports_defer
    try:
        report_export_run(record_id=record_id, retry=retry)
    except Exception:
        logger.exception(
            "Workbook export %s failed (attempt %d of %d)", record_id, attempt, EXPORT_ATTEMPTS
        )
        if retry:
            report_export_task.using(run_after=timezone.now() + EXPORT_RETRY_DELAY).enqueue(
                record_id=record_id, attempt=attempt + 1
            )
        raise
