from django.contrib import admin

from accounts.admin_site import ViewOnly
from reports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(ViewOnly, admin.ModelAdmin):
    """The log of exports, to read: it is written only by `reports.services.report_export`,
    and an audit log that could be edited or deleted would prove nothing."""

    list_display = ["created_at", "user", "kind", "source", "campaign", "date_from", "date_to"]
    list_filter = ["kind", "source"]
    list_select_related = ["user", "campaign"]
    search_fields = ["user__username", "reason"]
    date_hierarchy = "created_at"
