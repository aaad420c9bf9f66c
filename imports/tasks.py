"""Background work of the imports app, run by the task worker after the upload commits."""

from django_tasks import task


@task()
def import_job_task(*, job_id: int) -> None:
    """Import the workbook of the queued job `job_id` (`imports.services.import_job_run`)."""
    from imports.services import import_job_run

    import_job_run(job_id=job_id)
