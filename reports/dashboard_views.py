"""The dashboard: the programme's figures for its people and the charity centres, each
company's own needs and shortlists for company HR."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.access import can, permission_required
from reports.dashboard_forms import PeriodForm
from reports.figures import (
    Dashboard,
    company_figures,
    pathway_figures,
    programme_figures,
    retention_figures,
)
from reports.models import ExportRecord


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
