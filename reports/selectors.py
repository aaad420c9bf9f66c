"""Reads the reports' pages share: the export log, and the address of a list filtered to
what a figure counts (each role's home page is `reports.home`)."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from accounts.access import scope
from accounts.models import User
from focus.lists import search
from reports.models import ExportRecord


def export_list(*, actor: User, q: str = "") -> QuerySet:
    """The workbooks `actor` may see exported, the latest first, with who and which campaign;
    with `q`, those whose exporter or reason has its words."""
    records = scope(actor, ExportRecord).select_related("user", "campaign")
    records = search(
        records, q, ("user__username", "user__first_name", "user__last_name", "reason")
    )
    return records.order_by("-created_at", "-pk")


def list_url(name: str, query: dict | list | None = None) -> str:
    """The list page `name`, filtered by `query` (a dict, or pairs to repeat a parameter)."""
    return f"{reverse(name)}?{urlencode(query, doseq=True)}" if query else reverse(name)


def exports_asked_by(*, actor: User) -> QuerySet:
    """The exports `actor` asked for, the latest first, with their campaigns: their own
    list, where each links to its page."""
    return (
        scope(actor, ExportRecord)
        .asked_by(actor)
        .select_related("campaign")
        .order_by("-created_at", "-pk")
    )
