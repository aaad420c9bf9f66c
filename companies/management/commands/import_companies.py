from functools import partial
from pathlib import Path

from companies.importing import import_companies
from focus.spreadsheets.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import companies and their needs from an Excel workbook (.xlsx) made from the "
        "template (manage.py import_template companies FILE.xlsx). All or nothing: any error "
        "is listed and nothing is written."
    )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        self.run_import(file, partial(import_companies, dry_run=dry_run))
