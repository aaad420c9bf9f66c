"""The company's shortlists, on the company's page (companies.panels)."""

from django.http import HttpRequest
from django.urls import reverse

from accounts.access import can
from companies.models import Company
from companies.panels import PANEL_ROWS
from matching.models import Shortlist
from matching.selectors import shortlist_list


def company_shortlists(*, request: HttpRequest, company: Company) -> tuple[str, dict] | None:
    """The shortlists of the company's needs that the user may see, newest first, each with
    its candidates counted by step: counts, never who they are."""
    if not can(request.user, "list", Shortlist):
        return None
    rows = list(shortlist_list(actor=request.user).filter(need__company=company)[: PANEL_ROWS + 1])
    return "matching/company_shortlists_panel.html", {
        "shortlists": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "all_url": reverse("matching:shortlist_list"),
        "staff_side": can(request.user, "change", Shortlist),
    }
