"""The programme workbook's download page."""

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import permission_required, scope
from catalog.spreadsheets import XLSX_CONTENT_TYPE
from reports.export_forms import ExportForm
from reports.models import ExportRecord
from reports.services import report_export

PERIOD_FIELDS = ("campaign", "date_from", "date_to")


@permission_required("export", ExportRecord)
def export(request: HttpRequest) -> HttpResponse:
    """GET: the form, filled with the period the dashboard links with. POST: the workbook,
    as an attachment; an invalid form comes back with what was typed and why."""
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            return _workbook(request, form)
    else:
        initial = {name: request.GET[name] for name in PERIOD_FIELDS if request.GET.get(name)}
        form = ExportForm(user=request.user, initial=initial)
    return render(request, "reports/export_form.html", {"form": form})


def _workbook(request: HttpRequest, form: ExportForm) -> FileResponse:
    """Each request writes its own anonymous temporary file, removed when the response is
    closed (or at once, on error): a double submit makes two files, never one mixed."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        record = report_export(
            actor=request.user,
            period=form.period(),
            target=target,
            full=form.cleaned_data.get("full", False),
            reason=form.cleaned_data.get("reason", ""),
            source=ExportRecord.Source.WEB,
        )
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=workbook_filename(record),
        content_type=XLSX_CONTENT_TYPE,
    )


def workbook_filename(record: ExportRecord) -> str:
    """focus-programma-2026-11-30.xlsx, or focus-programma-dati-completi-... for the full one."""
    kind = "-dati-completi" if record.kind == ExportRecord.Kind.FULL else ""
    return f"focus-programma{kind}-{timezone.localdate(record.created_at):%Y-%m-%d}.xlsx"


@permission_required("list", ExportRecord)
def export_log(request: HttpRequest) -> HttpResponse:
    """Who took which workbook out of the portal, when, and why: newest first."""
    records = scope(request.user, ExportRecord).select_related("user", "campaign")
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    return render(request, "reports/export_log.html", {"page": page, "records": page.object_list})
