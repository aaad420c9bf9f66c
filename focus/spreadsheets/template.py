"""The workbook people fill in, the registry of every import's template, and the upload
page every import shares."""

import os
from collections.abc import Callable, Sequence
from typing import IO

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from focus.spreadsheets.reading import Column, ImportReport, SheetSpec
from focus.spreadsheets.upload import ImportRefused
from focus.spreadsheets.writing import workbook_response

INSTRUCTIONS_TITLE = "Istruzioni"
TEMPLATE_ROWS = 1000  # rows of the template that get formats and drop-down lists
_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", start_color="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(specs: Sequence[SheetSpec], target: str | os.PathLike | IO[bytes]) -> None:
    """Write the workbook people fill in: one sheet per spec with its headers (required ones
    shaded), cell formats and drop-down lists, then the "Istruzioni" sheet.

    The workbook goes out to member companies, whose headers are Italian whoever downloads
    it: its texts are written in the portal's language, not the user's."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    with translation.override(settings.LANGUAGE_CODE):
        for spec in specs:
            _template_sheet(workbook.create_sheet(spec.title), spec)
        _instructions_sheet(workbook.create_sheet(INSTRUCTIONS_TITLE), specs)
    workbook.save(target)


def _template_sheet(worksheet, spec: SheetSpec) -> None:
    worksheet.append([column.header for column in spec.columns])
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = worksheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        if column.required:
            cell.fill = _REQUIRED_FILL
        worksheet.column_dimensions[letter].width = min(max(len(column.header) + 4, 14), 40)
        number_format = getattr(column.parse, "number_format", None)
        if number_format:
            worksheet.column_dimensions[letter].number_format = number_format
        _add_list(worksheet, letter, column)


def _add_list(worksheet, letter: str, column: Column) -> None:
    options = getattr(column.parse, "options", list)()
    formula = ",".join(options)
    if not options or len(formula) > 250 or any("," in o or '"' in o for o in options):
        return  # Excel's inline lists hold at most 255 characters and no commas
    validation = DataValidation(
        type="list",
        formula1=f'"{formula}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=column.header,
        error=_("This is not one of the values of the list: see the Istruzioni sheet."),
    )
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    worksheet.add_data_validation(validation)


def _instructions_sheet(worksheet, specs: Sequence[SheetSpec]) -> None:
    worksheet.append([_("How to fill in this workbook")])
    worksheet["A1"].font = Font(bold=True, size=14)
    for line in _general_instructions():
        worksheet.append([line])
    for spec in specs:
        if spec.help:
            worksheet.append([f"{spec.title}: {spec.help}"])
    worksheet.append([])
    worksheet.append(
        [_("Sheet"), _("Column"), _("Required"), _("What it holds"), _("Format and values")]
    )
    for cell in worksheet[worksheet.max_row]:
        cell.font = _HEADER_FONT
    for spec in specs:
        for column in spec.columns:
            worksheet.append(
                [
                    spec.title,
                    column.header,
                    _("yes") if column.required else _("no"),
                    str(column.help),
                    getattr(column.parse, "describe", str)(),
                ]
            )
            for cell in worksheet[worksheet.max_row]:
                cell.alignment = _WRAP
    for letter, width in zip("ABCDE", (14, 30, 12, 60, 60), strict=True):
        worksheet.column_dimensions[letter].width = width


def _general_instructions() -> list[str]:
    return [
        _(
            "Write one record per row, from the second row down. Keep the headers of the first "
            "row as they are; columns may be moved, and left out unless they are required "
            "(shaded headers)."
        ),
        _(
            "Dates as dd/mm/yyyy or as Excel dates; yes/no columns take sì or no; lists take "
            "several values separated by a semicolon (;)."
        ),
        _(
            "Importing the same file again updates what it imported before instead of "
            "duplicating it. An empty cell clears the value; a column left out keeps what the "
            "portal has."
        ),
        _(
            "If any row has a problem nothing is imported: the portal lists every problem with "
            "its sheet, row and column."
        ),
    ]


def import_templates() -> dict[str, tuple[SheetSpec, ...]]:
    """Every import's specs by name, as the apps declare them on their AppConfig."""
    templates = {}
    for config in apps.get_app_configs():
        for name, path in getattr(config, "import_templates", {}).items():
            templates[name] = tuple(import_string(path))
    return templates


def template_response(specs, filename: str) -> FileResponse:
    """The template workbook of `specs` as a download named `filename`."""
    return workbook_response(lambda target: write_template(specs, target), filename)


ERRORS_SHOWN = 200


def import_page_context(*, form, report, cancel_url: str, template_url: str) -> dict:
    """What templates/includes/import_page.html shows: the form, the first ERRORS_SHOWN
    problems of the report and how many more there are."""
    errors = report.errors if report else []
    return {
        "form": form,
        "report": report,
        "errors_shown": errors[:ERRORS_SHOWN],
        "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
        "cancel_url": cancel_url,
        "template_url": template_url,
        "background_rows": settings.IMPORT_BACKGROUND_ROWS,
    }


def import_page(
    request: HttpRequest,
    *,
    form,
    run: Callable[[dict], ImportReport],
    template: str,
    again_url: str,
    done_url: str,
    template_url: str,
    too_many: Callable[[], str | None] | None = None,
    queue: Callable[[dict], HttpResponse | None] | None = None,
) -> HttpResponse:
    """An import's upload page (templates/includes/import_page.html): the whole file is
    imported, or its problems are listed.

    On a POST with a valid `form`, `run(cleaned_data)` reads the file. A report without
    problems is said in a message and leads to `done_url` (after a check only, back to
    `again_url`); a file refused as a whole is said on the file field, and the page answers
    with its status (ImportRefused.status). `too_many`, given, is asked first on every POST:
    a message (the user imported too often) refuses the upload with 429 before the file is
    read. `queue`, given, is asked first with the cleaned data: an answer (a large file left
    to the task worker, and its page) is the page's. `done_url` is also where the page's
    Cancel leads."""
    report, status = None, 200
    refusal = too_many() if request.method == "POST" and too_many is not None else None
    if refusal:
        form.is_valid()
        form.add_error(None, refusal)
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            queued = queue(form.cleaned_data) if queue is not None else None
            if queued is not None:
                return queued
            report = run(form.cleaned_data)
        except ImportRefused as refused:
            form.add_error("file", refused)
            status = refused.status
        else:
            if report.ok:
                messages.success(request, report.summary())
                return redirect(again_url if report.dry_run else done_url)
    context = import_page_context(
        form=form, report=report, cancel_url=done_url, template_url=template_url
    )
    return render(request, template, context, status=status)
