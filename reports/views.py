"""The reports' pages: each role's home page; the dashboard, the programme's figures for its
people and the charity centres, each company's own needs and shortlists for company HR; the
programme workbook's page (asked for there, written by the task worker, followed on its own
page and downloaded from it by the person who asked), their list of exports, and the log of
who took which."""

import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import can, get_for, permission_required
from audit.models import AuditEvent
from audit.services import audit_record
from documents.storage import private_storage
from focus.htmx import in_place
from focus.lists import Sorting, in_order, list_page, search_text
from focus.spreadsheets.upload import XLSX_CONTENT_TYPE
from reports.figures import (
    company_figures,
    pathway_figures,
    programme_figures,
    retention_figures,
)
from reports.forms import ExportForm, PeriodForm
from reports.home import home_page
from reports.models import Dashboard, ExportRecord
from reports.selectors import export_list, exports_asked_by
from reports.services import report_export_request

logger = logging.getLogger(__name__)

# The workbook itself is never run by the browser: no script, no plugin, no frame of it.
FILE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting page: who and where the user is, and what to do next
    (`reports.home`)."""
    return render(
        request,
        "reports/home.html",
        {"home": home_page(request.user), "organisation": request.user.organisation},
    )


@permission_required("view", Dashboard)
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = PeriodForm(request.GET or None, user=request.user)
    period = filters.period()
    if not can(request.user, "view_programme", Dashboard):
        return render(
            request,
            "reports/dashboard_company.html",
            {"filters": filters, "figures": company_figures(request.user, period)},
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            "filters": filters,
            "figures": programme_figures(request.user, period),
            "retention": retention_figures(request.user),
            "pathway": pathway_figures(request.user, period),
            "export_url": _export_url(request),
        },
    )


def _export_url(request: HttpRequest) -> str:
    """The workbook's page, with the dashboard's filters, for those who may export."""
    if not can(request.user, "export", ExportRecord):
        return ""
    url = reverse("reports:export")
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


PERIOD_FIELDS = ("campaign", "date_from", "date_to")


@permission_required("export", ExportRecord)
def export(request: HttpRequest) -> HttpResponse:
    """GET: the form, filled with the period the dashboard links with. POST: the export
    asked for, written by the task worker; the user follows it on its page. An invalid form
    comes back with what was typed and why."""
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            record = report_export_request(
                actor=request.user,
                period=form.period(),
                full=form.cleaned_data.get("full", False),
                reason=form.cleaned_data.get("reason", ""),
            )
            return redirect(record)
    else:
        initial = {name: request.GET[name] for name in PERIOD_FIELDS if request.GET.get(name)}
        form = ExportForm(user=request.user, initial=initial)
    return render(request, "reports/export_form.html", {"form": form})


def _asked(request: HttpRequest, pk: int) -> ExportRecord:
    """The export `pk` if the user asked for it; 404 for anybody else's."""
    return get_for(
        request.user,
        ExportRecord,
        pk,
        action="download",
        queryset=ExportRecord.objects.asked_by(request.user).select_related("campaign"),
    )


@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One export: being prepared (the page asks again every two seconds, htmx), ready to
    download, failed, or its file gone after EXPORT_FILE_HOURS; asked from the page itself,
    only its status."""
    record = _asked(request, pk)
    template = "reports/_export_status.html" if in_place(request) else "reports/export_detail.html"
    return render(request, template, {"record": record, "file_hours": settings.EXPORT_FILE_HOURS})


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The workbook, as an attachment named as the download page has always named it,
    recorded as a "download" event; never kept by the browser or a proxy."""
    record = _asked(request, pk)
    if not record.downloadable:
        raise Http404("No workbook here.")
    try:
        content = private_storage().open(record.file, "rb")
    except FileNotFoundError:
        logger.error("The workbook of export %s is missing", record.pk)
        raise Http404("No workbook here.") from None
    audit_record(AuditEvent.Action.DOWNLOAD, record)
    response = FileResponse(
        content,
        as_attachment=True,
        filename=workbook_filename(record),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    return response


@permission_required("download", ExportRecord)
def export_mine(request: HttpRequest) -> HttpResponse:
    """The exports the user asked for, the latest first, each with its status and page."""
    listing = list_page(request, exports_asked_by(actor=request.user), per_page=25)
    return render(
        request,
        "reports/export_mine.html",
        {"listing": listing, "page": listing.page, "records": listing.page.object_list},
    )


def workbook_filename(record: ExportRecord) -> str:
    """focus-programma-2026-11-30.xlsx, or focus-programma-dati-completi-... for the full one."""
    kind = "-dati-completi" if record.kind == ExportRecord.Kind.FULL else ""
    return f"focus-programma{kind}-{timezone.localdate(record.created_at):%Y-%m-%d}.xlsx"


EXPORT_SORTING = Sorting(
    columns={
        "at": ("created_at",),
        "by": ("user__last_name", "user__first_name", "user__username", "-created_at"),
        "version": (in_order("kind", ExportRecord.Kind.values), "-created_at"),
    },
    default="-at",
    descending_first=frozenset({"at"}),
)


@permission_required("list", ExportRecord)
def export_log(request: HttpRequest) -> HttpResponse:
    """Who took which workbook out of the portal, when, and why: newest first."""
    query = search_text(request)
    records = export_list(actor=request.user, q=query)
    listing = list_page(request, records, per_page=25, sorting=EXPORT_SORTING, query=query)
    return render(
        request,
        "reports/export_log.html",
        {"listing": listing, "page": listing.page, "records": listing.page.object_list},
    )
