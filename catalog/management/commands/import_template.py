from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from focus.spreadsheets import import_templates, write_template


class Command(BaseCommand):
    help = (
        "Write the Excel template of an import (its sheets with their headers, and an "
        "Istruzioni sheet explaining every column)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "name",
            choices=sorted(import_templates()),
            help="Which import: the apps declare them as import_templates on their AppConfig.",
        )
        parser.add_argument("output", type=Path, help="Where to write it (.xlsx).")

    def handle(self, *args, name: str, output: Path, **options):
        if output.suffix.lower() != ".xlsx":
            raise CommandError(
                _("The template is an .xlsx workbook: give the file that extension.")
            )
        try:
            write_template(import_templates()[name], output)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Template “%(name)s” written to %(file)s.") % {"name": name, "file": output}
            )
        )
