from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, NavItem
from audit.registry import Audited


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # Each workbook written is an "export" event of the audit trail, with the address.
    audited = (Audited("reports.ExportRecord", created="export"),)
    navigation = (
        NavItem(
            _("Dashboard"),
            "reports:dashboard",
            "reports.models.Dashboard",
            "view",
            "speedometer2",
            order=10,
        ),
        NavItem(
            _("Workbook exports"),
            "reports:export_log",
            "reports.ExportRecord",
            "list",
            "file-earmark-spreadsheet",
            order=93,
            group=ADMINISTRATION,
        ),
    )
