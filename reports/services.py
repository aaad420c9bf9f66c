"""Writes of the reports app: the programme workbook and the record of who exported what."""

import os
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.access import can
from accounts.models import User
from reports.exporting import workbook_write
from reports.figures import Period
from reports.models import ExportRecord


def report_export(
    *,
    actor: User,
    period: Period,
    target: str | os.PathLike | IO[bytes],
    full: bool = False,
    reason: str = "",
    source: str = ExportRecord.Source.WEB,
) -> ExportRecord:
    """Write the programme workbook to `target` and record the export: who, when, which
    version, why, the period and the rows of each sheet.

    The record is checked before anything is written (a full export without a reason, or by
    someone who may not have it, writes nothing) and saved once the workbook is complete.
    Not one atomic transaction: the workbook is read in a read-only snapshot of its own (see
    `reports.exporting`), and the record is a single insert. Two exports at once (a double
    submit) each write their own target and their own record: both happened."""
    full_data = bool(full)
    if not can(actor, "export_full" if full_data else "export", ExportRecord):
        raise PermissionDenied
    record = ExportRecord(
        user=actor,
        kind=ExportRecord.Kind.FULL if full_data else ExportRecord.Kind.PSEUDONYMISED,
        reason=reason.strip(),
        source=source,
        campaign=period.campaign,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    if full_data and not record.reason:
        raise ValidationError({"reason": _("Say why the full data are needed.")})
    record.full_clean(exclude=["rows"])
    record.rows = workbook_write(target, actor=actor, period=period, full=full_data)
    record.save()
    return record
