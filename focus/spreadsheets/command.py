"""The command-line side of an import: `manage.py import_<thing> FILE.xlsx [--dry-run]`, all
or nothing as the upload page is."""

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from focus.spreadsheets.reading import ImportReport
from focus.spreadsheets.upload import ImportRefused


class ImportCommand(BaseCommand):
    """A command that imports one workbook: its file and `--dry-run` (a subclass adds its
    own options after them), and the outcome, every problem on stderr and nothing written,
    or the summary of what was (or would be) written."""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .xlsx workbook to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, writing nothing.",
        )

    def run_import(self, file: Path, importer: Callable[[BinaryIO], ImportReport]) -> None:
        """Open `file` and give it to `importer`; a file that cannot be opened, is refused
        or has problems ends the command with an error."""
        try:
            with file.open("rb") as handle:
                report = importer(handle)
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
