"""The audit trail as an Excel workbook: the filtered events, newest first, at most
MAX_ROWS of them (the sheet says so when there were more), streamed through openpyxl's
write-only mode so that memory does not grow with the rows. Text cells never read as
formulas (a username may start with + - or @)."""

from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import User
from audit.models import AuditEvent
from audit.selectors import field_names, record_name
from focus.spreadsheets.writing import header_cells, text_cell

MAX_ROWS = 100_000
CHUNK = 2_000


def _row(sheet, event: AuditEvent, roles: dict, actions: dict) -> list:
    actor = event.actor
    return [
        timezone.localtime(event.at).replace(tzinfo=None),
        text_cell(sheet, actor.username if actor else ""),
        text_cell(sheet, str(roles.get(event.actor_role, event.actor_role))),
        event.ip,
        str(actions.get(event.action, event.action)),
        text_cell(sheet, record_name(event.object_type)),
        text_cell(sheet, event.object_id),
        event.candidate_id,
        text_cell(sheet, ", ".join(field_names(event.object_type, event.fields))),
        event.count,
    ]


def events_write(target: IO[bytes], events: QuerySet) -> tuple[int, bool]:
    """Write `events` (at most MAX_ROWS) to `target`. Returns how many were written and
    whether there were more."""
    roles, actions = dict(User.Role.choices), dict(AuditEvent.Action.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail"))
    for column, width in zip("ABCDEFGHIJ", (18, 18, 16, 16, 16, 22, 10, 11, 40, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    titles = [_("When"), _("User"), _("Role"), _("IP address"), _("Action"), _("Record type")]
    titles += [_("Which record"), _("Candidate"), _("Fields"), _("How many")]
    sheet.append(header_cells(sheet, titles))
    written, more = 0, False
    for event in events.iterator(chunk_size=CHUNK):
        if written == MAX_ROWS:
            more = True
            break
        sheet.append(_row(sheet, event, roles, actions))
        written += 1
    if more:
        note = _(
            "Only the newest %(count)s events are written here: narrow the filters (a shorter "
            "period) to export the others."
        ) % {"count": f"{MAX_ROWS:,}".replace(",", ".")}
        sheet.append([])
        sheet.append([note])
    workbook.save(target)
    return written, more
