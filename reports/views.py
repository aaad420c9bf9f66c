"""The reports' pages: each role's home page; the dashboard, the programme's figures for its
people and the charity centres, each company's own needs and shortlists for company HR; the
programme workbook's download page and the log of who took it."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.access import can, permission_required
from focus.lists import Sorting, in_order, list_page, search_text
from focus.spreadsheets.writing import workbook_response
from reports.figures import (
    company_figures,
    pathway_figures,
    programme_figures,
    retention_figures,
)
from reports.forms import ExportForm, PeriodForm
from reports.home import home_page
from reports.models import Dashboard, ExportRecord
from reports.selectors import export_list
from reports.services import report_export


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
    def write(target) -> ExportRecord:
        return report_export(
            actor=request.user,
            period=form.period(),
            target=target,
            full=form.cleaned_data.get("full", False),
            reason=form.cleaned_data.get("reason", ""),
            source=ExportRecord.Source.WEB,
        )

    return workbook_response(write, workbook_filename)


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
