import datetime
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from accounts.access import scope
from accounts.models import User
from audit.context import acting
from companies.models import SurveyCampaign
from reports.figures import Period
from reports.models import ExportRecord
from reports.services import report_export


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Write the programme workbook (Excel) to OUT.xlsx, as the download page does, and "
        "record the export. --user names the admin or staff member it is made for: their "
        "permissions apply and the record names them. Pseudonymised unless --full, which only "
        "an admin may ask for, with a --reason that is recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", metavar="OUT.xlsx", help="the workbook to write")
        parser.add_argument("--user", required=True, metavar="USERNAME", help="who exports")
        parser.add_argument("--campaign", type=int, metavar="ID", help="survey campaign id")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day")
        parser.add_argument("--full", action="store_true", help="with names and contacts")
        parser.add_argument("--reason", default="", help="why the full data are needed")

    def handle(self, *args, **options) -> None:
        # The workbook and the messages in the portal's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options) -> None:
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"{output} is not an .xlsx file name.")
        if not output.parent.is_dir():
            raise CommandError(f"There is no folder {output.parent}.")
        if options["reason"] and not options["full"]:
            raise CommandError("--reason goes with --full: a pseudonymised export needs none.")
        user = self._user(options["user"])
        period = self._period(user, options)
        record = self._export(output, user, period, options)
        rows = ", ".join(f"{sheet} {count}" for sheet, count in record.rows.items())
        self.stdout.write(
            f"Wrote {output} ({record.get_kind_display().lower()}), rows: {rows}. "
            f"Recorded as export #{record.pk}."
        )

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        return user

    def _period(self, user: User, options: dict) -> Period:
        campaign = None
        if options["campaign"] is not None:
            campaign = scope(user, SurveyCampaign).filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"There is no survey campaign with id {options['campaign']}.")
        date_from = _date(options["date_from"]) if options["date_from"] else None
        date_to = _date(options["date_to"]) if options["date_to"] else None
        if date_from and date_to and date_to < date_from:
            raise CommandError("--to comes before --from.")
        return Period(campaign=campaign, date_from=date_from, date_to=date_to)

    def _export(self, output: Path, user: User, period: Period, options: dict) -> ExportRecord:
        """Write to a temporary file beside OUT, then put it in place: OUT is either the
        complete workbook or left as it was."""
        handle, partial = tempfile.mkstemp(suffix=".xlsx", dir=output.parent)
        os.close(handle)
        try:
            with acting(user):  # the audit trail's "export" event names them too
                record = report_export(
                    actor=user,
                    period=period,
                    target=partial,
                    full=options["full"],
                    reason=options["reason"],
                    source=ExportRecord.Source.COMMAND,
                )
            os.replace(partial, output)
        except PermissionDenied:
            kind = "the full data" if options["full"] else "the programme workbook"
            raise CommandError(f"{user.username} may not export {kind}.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        return record
