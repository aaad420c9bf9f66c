"""The audit trail's pages, for the programme office (AuditEvent.permits)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import permission_required
from accounts.models import User
from audit import exporting, selectors
from audit.forms import EventFilterForm
from audit.models import AuditEvent
from audit.services import audit_record
from focus.spreadsheets.writing import workbook_response


@permission_required("list", AuditEvent)
def event_list(request: HttpRequest) -> HttpResponse:
    """The events, newest first, filtered; a page at a time, each linking the older one."""
    filters = EventFilterForm(request.GET or None)
    criteria = filters.criteria()
    events = selectors.event_list(actor=request.user, **(criteria or {}))
    if criteria is None:
        events = events.none()
    cursor = selectors.Cursor.parse(request.GET.get("older", ""))
    rows, older = selectors.event_page(events, cursor)
    roles = dict(User.Role.choices)
    for event in rows:
        event.role_name = roles.get(event.actor_role, event.actor_role)
        event.record_name = selectors.record_name(event.object_type)
        event.field_names = selectors.field_names(event.object_type, event.fields)
    return render(
        request,
        "audit/event_list.html",
        {
            "filters": filters,
            "events": rows,
            "older": older.token if older else None,
            "newest": cursor is not None,
            "candidate": (criteria or {}).get("candidate"),
            "user_filter": (criteria or {}).get("user"),
            "max_rows": exporting.MAX_ROWS,
        },
    )


@permission_required("export", AuditEvent)
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered events as a workbook (at most exporting.MAX_ROWS), itself an "export"
    event, which names the filters used. Filters that are not valid go back to the list,
    which says why."""
    filters = EventFilterForm(request.GET or None)
    criteria = filters.criteria()
    if criteria is None:
        return redirect(f"{reverse('audit:event_list')}?{request.GET.urlencode()}")
    events = selectors.event_list(actor=request.user, **criteria)

    def write(target) -> None:
        written, _more = exporting.events_write(target, events)
        audit_record(
            AuditEvent.Action.EXPORT,
            object_type="audit.auditevent",
            fields=criteria,
            candidate_id=criteria.get("candidate"),
            count=written,
        )

    return workbook_response(write, f"focus-registro-{timezone.localdate():%Y-%m-%d}.xlsx")
