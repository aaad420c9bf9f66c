"""Sections of a company's page: its needs, here, and what apps to the right add through
`company_panel` on their AppConfig (accounts.hooks.panels), such as its shortlists."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.access import can, scope
from accounts.hooks import panels
from companies.models import Company, Need

# Rows a panel of the company's page shows; the list it links to has the rest.
PANEL_ROWS = 10


def company_panels(*, request: HttpRequest, company: Company) -> list[tuple[str, dict]]:
    return panels("company_panel", request=request, company=company)


def company_needs(*, request: HttpRequest, company: Company) -> tuple[str, dict] | None:
    """The company's needs, the latest campaign's first, with a link to all of them."""
    if not can(request.user, "list", Need):
        return None
    needs = (
        scope(request.user, Need)
        .filter(company=company)
        .select_related("campaign", "profile", "workplace")
        .order_by("-campaign__opens_on", "-campaign_id", "profile__name_it", "pk")
    )
    rows = list(needs[: PANEL_ROWS + 1])
    url = reverse("companies:need_list")
    if can(request.user, "list", Company):  # the needs list filters by company for staff
        url += "?" + urlencode({"company": company.pk, "campaign": ""})
    return "companies/company_needs_panel.html", {
        "needs": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "all_url": url,
    }
