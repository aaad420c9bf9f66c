"""The pages of background imports: one job's progress and report, and the user's list."""

import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from accounts.access import get_for, scope
from focus.htmx import in_place
from focus.lists import ListPage
from focus.spreadsheets import rows_declared
from focus.spreadsheets.template import import_page_context
from imports.kinds import import_kinds
from imports.models import ImportJob
from imports.services import import_job_start, report_from

JOBS_PER_PAGE = 20


def background_import(
    request: HttpRequest, *, kind: str, data: Mapping[str, Any], params: Mapping[str, Any]
) -> HttpResponse | None:
    """For an import page (`import_page`'s `queue`): a workbook of more rows than
    settings.IMPORT_BACKGROUND_ROWS is queued as a job of `kind` with `params`, and the
    answer leads to its page; a smaller one is left to the page (None). Raises
    ImportRefused for a file refused as a whole."""
    rows = rows_declared(data["file"], import_kinds()[kind].specs)
    if rows <= settings.IMPORT_BACKGROUND_ROWS:
        return None
    job = import_job_start(
        kind=kind,
        actor=request.user,
        file=data["file"],
        params={
            **params,
            "dry_run": bool(data.get("dry_run")),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
        upload_key=data.get("upload_key") or uuid.uuid4().hex,
        rows=rows,
    )
    return redirect(job)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_for(request.user, ImportJob, pk, action="view")


def _context(job: ImportJob) -> dict:
    kind = import_kinds().get(job.kind)
    report = report_from(job.result) if job.result and "class" in job.result else None
    context = import_page_context(form=None, report=report, cancel_url="", template_url="")
    return {
        **context,
        "job": job,
        "kind": kind,
        "refused": (job.result or {}).get("refused", []),
    }


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress while it runs (refreshed by the page), then the
    report the import page would have shown."""
    return render(request, "imports/job_detail.html", _context(_job(request, pk)))


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a running job, for the page to swap in; once it is over, the page is
    loaded again to show the report."""
    job = _job(request, pk)
    if not in_place(request):
        # Opened as a page (a link copied, no JavaScript): the job's whole page.
        return redirect(job)
    response = render(request, "imports/_job_progress.html", {"job": job})
    if job.over:
        response["HX-Refresh"] = "true"
    return response


def job_list(request: HttpRequest) -> HttpResponse:
    """The background imports the user started, the latest first."""
    jobs = scope(request.user, ImportJob).order_by("-created_at", "-pk")
    listing = ListPage(page=Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page")))
    kinds = import_kinds()
    for job in listing.page:
        job.kind_title = kinds[job.kind].title if job.kind in kinds else job.kind
    return render(request, "imports/job_list.html", {"listing": listing, "page": listing.page})
