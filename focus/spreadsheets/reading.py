"""Reading a workbook against its specs, and writing its rows all or nothing."""

import logging
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from focus.spreadsheets import progress
from focus.spreadsheets.cells import as_text, cell_value, fold, one_read
from focus.spreadsheets.upload import ImportRefused, check_upload
from focus.spreadsheets.xmlparts import unsafe_xml_parsers

MAX_ROWS = 5000  # non-blank rows per sheet: beyond, an import outlasts a web request
MAX_COLUMNS = 256  # columns read from a sheet, far more than any template has

logger = logging.getLogger(__name__)

_UNSET = object()


@dataclass(frozen=True)
class Column:
    """A column: its Italian header, the field it fills, how its cells are read.

    A required column must be in the sheet and every row must fill it. `default` is the
    value of a blank cell, if not the parser's empty value."""

    header: str
    field: str
    parse: Callable[[Any], Any]
    required: bool = False
    help: str = ""
    default: Any = _UNSET

    def blank(self) -> Any:
        if self.default is not _UNSET:
            return self.default
        empty = getattr(self.parse, "empty", None)
        return list(empty) if isinstance(empty, tuple) else empty


@dataclass(frozen=True)
class SheetSpec:
    """A sheet: its title, its columns, the keys that must be unique within it (tuples of
    fields, compared after cleaning), and row cleaners that work across columns (each may
    change the values and raise ValidationError, preferably keyed by field)."""

    title: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    clean: tuple[Callable[[dict], None], ...] = ()
    help: str = ""

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)


def _header_key(header: Any) -> str:
    return fold(as_text(header).rstrip("* "))


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("Sheet %(sheet)s, row %(row)d: %(message)s") % self._params()
        return _("Sheet %(sheet)s, row %(row)d, column %(column)s: %(message)s") % self._params()

    def _params(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Row:
    sheet: str
    number: int  # as Excel shows it
    values: dict[str, Any]
    ok: bool = True


@dataclass
class ParsedWorkbook:
    specs: tuple[SheetSpec, ...]
    rows: dict[str, list[Row]]  # by sheet title
    errors: list[CellError]


def read_workbook(file: IO[bytes], specs: Sequence[SheetSpec]) -> ParsedWorkbook:
    """Check the upload, then read every sheet that has a spec and validate every row.

    Raises ImportRefused when the file itself is refused (see `check_upload`), has none of
    the sheets, or a sheet has unknown, duplicate or missing required headers. Otherwise
    every problem of every row is collected as a CellError."""
    check_upload(file)
    if unsafe_xml_parsers():
        logger.error("Import refused: openpyxl would expand XML entities (see catalog.E001).")
        raise ImportRefused(
            _(
                "Imports are switched off: the server cannot read workbooks safely. Tell the "
                "programme office."
            ),
            status=ImportRefused.UNAVAILABLE,
        )
    raw = _raw_sheets(file, specs)
    parsed = ParsedWorkbook(tuple(specs), {}, [])
    progress.rows_found(sum(len(rows) for _columns, rows in raw.values()))
    progress.stage_begin(progress.CHECKING)
    with one_read():
        for spec in specs:
            if spec.title in raw:
                columns, rows = raw[spec.title]
                parsed.rows[spec.title] = _parse_sheet(spec, columns, rows, parsed.errors)
    progress.stage_end()
    return parsed


# What openpyxl raises on a workbook whose parts are malformed (XML errors are SyntaxErrors).
_UNREADABLE_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    SyntaxError,
)


def _unreadable() -> ImportRefused:
    return ImportRefused(
        _(
            "The workbook cannot be read: it may be damaged. Open it in Excel and save it "
            "again as .xlsx."
        )
    )


def _raw_sheets(file: IO[bytes], specs: Sequence[SheetSpec]) -> dict:
    """{sheet title: (columns by index, [(row number, cells)])}, non-blank rows only."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except _UNREADABLE_ERRORS:
        raise _unreadable() from None
    try:
        titles = {fold(name): name for name in workbook.sheetnames}
        found = [(spec, titles[fold(spec.title)]) for spec in specs if fold(spec.title) in titles]
        if not found:
            raise ImportRefused(
                _("The workbook has none of the sheets %(sheets)s: start from the template.")
                % {"sheets": ", ".join(f"“{spec.title}”" for spec in specs)}
            )
        raw, problems = {}, []
        for spec, name in found:
            header, rows = _sheet_rows(workbook[name], spec)
            columns = _match_headers(spec, header, bool(rows), problems)
            raw[spec.title] = (columns, rows)
        if problems:
            raise ImportRefused(problems)
        return raw
    finally:
        workbook.close()


def _sheet_rows(worksheet, spec: SheetSpec) -> tuple[tuple, list[tuple[int, tuple]]]:
    """The header and the non-blank rows, at most MAX_COLUMNS wide. The size a sheet
    declares is not trusted: it would pad every row to 16,384 columns, or hide rows."""
    header, rows = (), []
    worksheet.reset_dimensions()
    try:
        cells_by_row = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, cells in enumerate(cells_by_row, start=1):
            if number == 1:
                header = cells
            elif cells.count(None) < len(cells) and any(
                cell_value(value) is not None for value in cells
            ):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise ImportRefused(
                        _("The sheet “%(sheet)s” has more than %(max)d rows: split the file.")
                        % {"sheet": spec.title, "max": MAX_ROWS},
                        status=ImportRefused.TOO_LARGE,
                    )
    except _UNREADABLE_ERRORS:
        raise _unreadable() from None
    return header, rows


def _match_headers(
    spec: SheetSpec, header: tuple, has_rows: bool, problems: list[str]
) -> list[tuple[int, Column]]:
    by_key = {_header_key(column.header): column for column in spec.columns}
    columns, unknown, seen = [], [], set()
    for index, text in enumerate(header):
        if cell_value(text) is None:
            continue
        column = by_key.get(_header_key(text))
        if column is None:
            unknown.append(as_text(text))
        elif column.field in seen:
            problems.append(
                _("Sheet “%(sheet)s”: the column “%(column)s” appears twice.")
                % {"sheet": spec.title, "column": column.header}
            )
        else:
            seen.add(column.field)
            columns.append((index, column))
    if not columns and not unknown and not has_rows:
        return columns  # an empty sheet: nothing to import from it
    missing = [c.header for c in spec.columns if c.required and c.field not in seen]
    if unknown:
        problems.append(
            _("Sheet “%(sheet)s”: unknown columns %(columns)s. Use the headers of the template.")
            % {"sheet": spec.title, "columns": ", ".join(f"“{text}”" for text in unknown)}
        )
    if missing:
        problems.append(
            _("Sheet “%(sheet)s”: required columns missing: %(columns)s.")
            % {"sheet": spec.title, "columns": ", ".join(f"“{text}”" for text in missing)}
        )
    return columns


def _parse_sheet(
    spec: SheetSpec, columns: list[tuple[int, Column]], rows: list, errors: list[CellError]
) -> list[Row]:
    parsed = [_parse_row(spec, columns, number, cells, errors) for number, cells in rows]
    _check_unique(spec, parsed, errors)
    return parsed


def _parse_row(
    spec: SheetSpec, columns: list[tuple[int, Column]], number: int, cells: tuple, errors: list
) -> Row:
    row = Row(spec.title, number, {})
    for index, column in columns:
        value = cell_value(cells[index]) if index < len(cells) else None
        try:
            row.values[column.field] = _parse_cell(column, value)
        except ValidationError as exc:
            errors.extend(CellError(spec.title, number, column.header, m) for m in exc.messages)
            row.ok = False
    for clean in spec.clean:
        try:
            clean(row.values)
        except ValidationError as exc:
            errors.extend(errors_for(spec, number, exc))
            row.ok = False
    progress.row_passed()
    return row


def _parse_cell(column: Column, value: Any) -> Any:
    if value is None:
        if column.required:
            raise ValidationError(_("This column is required and the cell is empty."))
        return column.blank()
    return column.parse(value)


def _check_unique(spec: SheetSpec, rows: list[Row], errors: list[CellError]) -> None:
    for fields in spec.unique:
        seen: dict[tuple, int] = {}
        for row in rows:
            if not row.ok:
                continue
            key = tuple(_comparable(row.values.get(name)) for name in fields)
            if any(part in (None, "") for part in key):
                continue
            if key in seen:
                headers = [spec.column(name).header for name in fields]
                errors.append(
                    CellError(
                        spec.title,
                        row.number,
                        headers[0],
                        _("Same %(columns)s as row %(other)d: each must appear once.")
                        % {"columns": ", ".join(headers), "other": seen[key]},
                    )
                )
                row.ok = False
            else:
                seen[key] = row.number


def _comparable(value: Any) -> Any:
    return fold(value) if isinstance(value, str) else value


def errors_for(spec: SheetSpec, number: int, exc: ValidationError) -> list[CellError]:
    """CellErrors from a ValidationError keyed by field (or not): fields become headers."""
    if not hasattr(exc, "error_dict"):
        return [CellError(spec.title, number, "", message) for message in exc.messages]
    errors = []
    for name, problems in exc.error_dict.items():
        column = spec.column(name) if name != NON_FIELD_ERRORS else None
        header = column.header if column else ""
        for problem in problems:
            errors.extend(CellError(spec.title, number, header, m) for m in problem.messages)
    return errors


# Writing ------------------------------------------------------------------------------------

# A writer saves one row and says whether it created (True) or updated (False) something, or
# None when it skipped the row; it raises ValidationError, keyed by field, to refuse it.
Writer = Callable[[Row], bool | None]


@dataclass
class ImportReport:
    sheets: tuple[str, ...]
    dry_run: bool
    errors: list[CellError] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        counts = "; ".join(
            _("%(sheet)s: %(created)d created, %(updated)d updated")
            % {"sheet": sheet, "created": self.created[sheet], "updated": self.updated[sheet]}
            for sheet in self.sheets
        )
        if self.dry_run:
            return _(
                "Check only, nothing was written. The file is valid and would give: %(counts)s."
            ) % {"counts": counts}
        return _("Import done. %(counts)s.") % {"counts": counts}


def write_rows(
    parsed: ParsedWorkbook,
    writers: Mapping[str, Writer],
    *,
    dry_run: bool,
    finish: Callable[[], object] | None = None,
) -> ImportReport:
    """Write every valid row, sheet by sheet in the specs' order, in one transaction.

    Rows that failed to read are skipped, but the others are still written so that the
    problems only the database can tell (an unknown company, a name taken) are reported
    too. Then, if anything went wrong or this is a dry run, everything is rolled back: the
    file is imported whole or not at all. `finish`, when given, writes what the writers
    checked but held back (to write it in bulk), once every row is written and only when the
    file is to be kept."""
    report = ImportReport(tuple(s.title for s in parsed.specs), dry_run, list(parsed.errors))
    progress.stage_begin(progress.WRITING)
    with transaction.atomic():
        for spec in parsed.specs:
            for row in parsed.rows.get(spec.title, ()):
                if row.ok:
                    _write_row(spec, row, writers[spec.title], report)
                progress.row_passed()
        if finish is not None and not (dry_run or report.errors):
            finish()
        if dry_run or report.errors:
            transaction.set_rollback(True)
    progress.stage_end()
    order = {title: index for index, title in enumerate(report.sheets)}
    report.errors.sort(key=lambda error: (order.get(error.sheet, 0), error.row))
    return report


def _write_row(spec: SheetSpec, row: Row, writer: Writer, report: ImportReport) -> None:
    try:
        created = writer(row)
    except ValidationError as exc:
        report.errors.extend(errors_for(spec, row.number, exc))
        return
    if created is not None:
        (report.created if created else report.updated)[spec.title] += 1


def import_workbook(
    file: IO[bytes], specs: Sequence[SheetSpec], writers: Mapping[str, Writer], *, dry_run: bool
) -> ImportReport:
    """Check, read and write a workbook, all or nothing. Raises ImportRefused."""
    return write_rows(read_workbook(file, specs), writers, dry_run=dry_run)


def rows_declared(file: IO[bytes], specs: Sequence[SheetSpec]) -> int:
    """About how many rows the sheets of `specs` hold below their headers, as the workbook
    declares its size (counted when it declares none, or more than MAX_ROWS), to tell a
    large file from a small one before reading it. Checks the upload first (`check_upload`,
    may raise ImportRefused); leaves the file at its start."""
    check_upload(file)
    if unsafe_xml_parsers():
        return 0  # the import itself says why it cannot read it
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except _UNREADABLE_ERRORS:
        raise _unreadable() from None
    try:
        titles = {fold(name): name for name in workbook.sheetnames}
        total = 0
        for spec in specs:
            if fold(spec.title) not in titles:
                continue
            worksheet = workbook[titles[fold(spec.title)]]
            declared = worksheet.max_row
            if declared is None or declared > MAX_ROWS + 1:  # none, or not to be believed
                total += len(_sheet_rows(worksheet, spec)[1])
            else:
                total += max(declared - 1, 0)
        return total
    except _UNREADABLE_ERRORS:
        raise _unreadable() from None
    finally:
        workbook.close()
        file.seek(0)
