from django.contrib import admin

from accounts.admin_site import ViewOnly
from reports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(ViewOnly, admin.ModelAdmin):
    """The log of exports, to read: it is written only by `reports.services` (asked for,
    written, expired), and an audit log that could be edited or deleted would prove nothing."""

    list_display = [
        "created_at", "user", "kind", "source", "status", "campaign", "date_from", "date_to"
    ]  # fmt: skip
    list_filter = ["kind", "source", "status"]
    list_select_related = ["user", "campaign"]
    search_fields = ["user__username", "reason"]
    date_hierarchy = "created_at"
