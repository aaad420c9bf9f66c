from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from companies.importing import import_companies
from focus.spreadsheets import ImportRefused


class Command(BaseCommand):
    help = (
        "Import companies and their needs from an Excel workbook (.xlsx) made from the "
        "template (manage.py import_template companies FILE.xlsx). All or nothing: any error "
        "is listed and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .xlsx workbook to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, writing nothing.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as handle:
                report = import_companies(handle, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from None
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)d problems found: nothing was imported.") % {"count": len(report.errors)}
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
