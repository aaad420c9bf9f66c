"""Background work of the training app, run by the task worker after the request commits."""

import logging

from django.utils import timezone
from django_tasks import task

from training.models import GapAnalysis

logger = logging.getLogger(__name__)


@task()
def gap_analyse_task(*, analysis_id: int) -> None:
    """Compute a requested gap analysis; a failure is recorded on it, for the page to say."""
    from training.services import gap_analyse

    analysis = GapAnalysis.objects.filter(pk=analysis_id).first()
    if analysis is None:
        return
    try:
        gap_analyse(analysis=analysis)
    except Exception:
        logger.exception("Gap analysis %s failed", analysis_id)
        GapAnalysis.objects.filter(pk=analysis_id, status=GapAnalysis.Status.PENDING).update(
            status=GapAnalysis.Status.FAILED, computed_at=timezone.now()
        )
        raise
