"""Workbooks the portal writes (the programme's, the audit trail, a data subject's records):
formatted tables in streaming workbooks, safe against formula injection.

Every sheet of an export is a table: a styled header row, frozen, with an autofilter over the
rows written, column widths and Italian number and date formats. Rows are streamed through
openpyxl's write-only mode, which writes each sheet's XML to a temporary file as it goes
(through lxml when it is installed), so the memory an export takes does not grow with its rows.

Speed: openpyxl builds a cell object per value and serialises it through several layers,
some 5 µs a cell, which at a hundred thousand rows of twenty columns is most of an export.
`Table.write` serialises each data row itself instead: one string of plain cells (inline
strings, numbers, booleans, dates as serial numbers) with the column's style id, parsed back
into one element (lxml does it in C) and handed to openpyxl's own writer in the sheet's
stream. That is `StreamingWorksheet`, openpyxl's write-only sheet taking such rows as they
are; everything else (header, widths, panes, autofilter, charts, the package) is openpyxl's.
It leans on openpyxl's write-only internals (`_write_rows`, pinned in requirements/base.in);
the tests read every sheet back with openpyxl, values, types and styles.

Formula injection: a text that starts with = + - @ (or a tab or carriage return, which some
spreadsheet programs strip before reading a formula) can run as a formula where a user opens
or re-types the cell. Such a text is written as a string cell with Excel's "quote prefix",
the style Excel itself gives a text typed after an apostrophe: the value stays what the user
wrote, and Excel keeps it text even when the cell is edited. Every text cell goes through
`cell_text`, on both paths (`Table.write` and `text_cell`).
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.functions import fromstring

from focus.spreadsheets.upload import XLSX_CONTENT_TYPE

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
MAX_TEXT = 32767  # characters an Excel cell holds

DATE_FORMAT = "DD/MM/YYYY"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="1F4E78")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
TITLE_FONT = Font(bold=True, size=12)

EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()  # serial 0 of Excel's 1900 system
# XML escapes; a carriage return as a reference, or parsers would read it as a line feed.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def cell_text(value: str) -> tuple[str, bool]:
    """`value` as a cell can hold it (no characters XML cannot carry, such as control
    characters pasted from other programs, at most MAX_TEXT long), and whether it must be
    kept from being read as a formula (see the module)."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = value[:MAX_TEXT]
    return value, bool(value) and value[0] in FORMULA_TRIGGERS


def text_cell(worksheet, value: str | None):
    """`value` as a cell of `worksheet` that can never be a formula, for rows openpyxl
    writes; the plain string when it is harmless, so the common case costs no cell object."""
    if not value:
        return None
    value, quoted = cell_text(value)
    if not quoted:
        return value
    cell = WriteOnlyCell(worksheet)
    cell.value = value  # openpyxl takes a leading "=" for a formula...
    cell.data_type = "s"  # ...: store it as a string, whatever it starts with
    cell.quotePrefix = True
    return cell


class Styled:
    """Cells of `worksheet` with one number format, for rows openpyxl writes."""

    def __init__(self, worksheet, number_format: str):
        self.worksheet = worksheet
        self.number_format = number_format

    def __call__(self, value):
        if value is None:
            return None
        cell = WriteOnlyCell(self.worksheet, value)
        cell.number_format = self.number_format
        return cell


class RawRow(tuple):
    """A data row already serialised (`Table.write`): `(xml,)`."""

    __slots__ = ()


class StreamingWorksheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, which also takes `RawRow`s and writes them as they are."""

    def _write_rows(self):
        # openpyxl 3.1's WriteOnlyWorksheet._write_rows, plus the RawRow branch.
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, RawRow):
                        xf.write(fromstring(row[0]))
                    else:
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


class StreamingWorkbook(Workbook):
    """A write-only workbook whose sheets are `StreamingWorksheet`s."""

    def __init__(self):
        super().__init__(write_only=True)

    def create_sheet(self, title=None, index=None) -> StreamingWorksheet:
        sheet = StreamingWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, width (characters) and number format, if any."""

    header: str
    width: int = 14
    number_format: str = ""


def text(header: str, width: int = 20) -> Column:
    return Column(header, width)


def date(header: str, width: int = 12) -> Column:
    return Column(header, width, DATE_FORMAT)


def integer(header: str, width: int = 10) -> Column:
    return Column(header, width, INTEGER_FORMAT)


def decimal(header: str, width: int = 10) -> Column:
    return Column(header, width, DECIMAL_FORMAT)


def money(header: str, width: int = 12) -> Column:
    return Column(header, width, MONEY_FORMAT)


def percent(header: str, width: int = 10) -> Column:
    return Column(header, width, PERCENT_FORMAT)


class Table:
    """One table filling a `StreamingWorksheet`: `write(rows)` sets the widths, freezes the
    header row and writes it, streams the rows of plain values (str, int, float, Decimal,
    bool, date or None) formatted by column, and puts the autofilter over them."""

    def __init__(self, worksheet: StreamingWorksheet, columns: Sequence[Column]):
        self.worksheet = worksheet
        self.columns = tuple(columns)
        self._letters = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        self._styles = [self._style_attribute(column.number_format) for column in self.columns]
        self._quoted = self._style_attribute("", quote_prefix=True)

    def write(self, rows: Iterable[Sequence]) -> int:
        worksheet = self.worksheet
        for letter, column in zip(self._letters, self.columns, strict=True):
            worksheet.column_dimensions[letter].width = column.width
        worksheet.freeze_panes = "A2"
        worksheet.append(header_cells(worksheet, [column.header for column in self.columns]))
        count = 0
        for count, row in enumerate(rows, start=1):
            worksheet.append(RawRow((self._xml(count + 1, row),)))
        worksheet.auto_filter.ref = f"A1:{self._letters[-1]}{count + 1}"
        return count

    def _xml(self, index: int, row: Sequence) -> str:
        cells = []
        for letter, style, value in zip(self._letters, self._styles, row, strict=True):
            if value is None:
                continue
            if isinstance(value, str):
                value, quoted = cell_text(value)
                space = (
                    ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
                )
                cells.append(
                    f'<c r="{letter}{index}" t="inlineStr"{self._quoted if quoted else ""}>'
                    f"<is><t{space}>{value.translate(_ESCAPES)}</t></is></c>"
                )
            elif value is True or value is False:
                cells.append(f'<c r="{letter}{index}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime.date):
                serial = value.toordinal() - EXCEL_EPOCH  # dates only: no time, no zone
                cells.append(f'<c r="{letter}{index}"{style}><v>{serial}</v></c>')
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{letter}{index}"{style}><v>{value}</v></c>')
            else:
                raise TypeError(f"Cannot write {value!r} into {letter}{index}.")
        return f'<row r="{index}">{"".join(cells)}</row>'

    def _style_attribute(self, number_format: str, *, quote_prefix: bool = False) -> str:
        """The ` s="..."` attribute of a cell with this format (registered in the
        workbook's style sheet, as openpyxl does for a styled cell), or nothing."""
        if not number_format and not quote_prefix:
            return ""
        cell = WriteOnlyCell(self.worksheet)
        if number_format:
            cell.number_format = number_format
        cell.quotePrefix = quote_prefix
        return f' s="{cell.style_id}"'


def header_cells(worksheet, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(worksheet, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = HEADER_BORDER
        cells.append(cell)
    return cells


def title_cell(worksheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, title)
    cell.font = TITLE_FONT
    return cell


def workbook_response(
    write: Callable[[IO[bytes]], Any], filename: str | Callable[[Any], str]
) -> FileResponse:
    """A download of the workbook `write(target)` writes, named `filename` (or
    `filename(what write returned)`). Each call writes its own anonymous temporary file,
    removed when the response is closed (or at once, on error): a double submit makes two
    files, never one mixed."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        written = write(target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=filename(written) if callable(filename) else filename,
        content_type=XLSX_CONTENT_TYPE,
    )
