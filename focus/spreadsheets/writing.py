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

Printing: every table prints landscape on A4, one page wide (as many pages tall as it takes),
with its header row repeated on each page, the sheet's name above and "Pagina n di m" below,
over the rows written only (`print_setup`). Its columns are as wide as their content needs,
read from the first `SAMPLE_ROWS` rows (a stream cannot be measured whole: the widths go
before the rows in the file), never narrower than the header's longest word and never wider
than the column's `width`, unless that word needs it; the header row is as tall as its
longest header, wrapped, needs (LibreOffice does not size a row whose height is not given).
So that a wide table still prints at a readable scale (`print_scale`: at least `MIN_SCALE`),
a longer text wraps within its column (`Column.wrap`, every `text` column), its row as tall as
its lines need, and a column of short values (yes or no, a province, a small number) turns
its header upright (`upright`), so that it is as narrow as those values rather than as its
header's words. A table that is wider still prints on as many pages wide as that scale needs
(`pages_wide`), its first column (the row's code) repeated on each, the pages of the same
rows one after the other. Every cell keeps to the top of its row, so a row reads across.
How wide a text prints, and in how many lines, is `focus.spreadsheets.measure`'s.
A chart goes on a chart sheet of its own (`chart_sheet`), sized to the landscape page.

Yes and no are words, "Sì" and "No" in Italian (the current language's), not TRUE and FALSE:
they print as words, and the autofilter lists them as two choices.

Dates and times: a date is a day ("DD/MM/YYYY"), a datetime keeps its time ("DD/MM/YYYY
HH:MM"): Excel knows no time zone, so an aware datetime is written as the wall-clock time of
the current time zone (the caller chooses it: `timezone.override`).

Formula injection: a text that starts with = + - @ (or a tab or carriage return, which some
spreadsheet programs strip before reading a formula) can run as a formula where a user opens
or re-types the cell. Such a text is written as a string cell with Excel's "quote prefix",
the style Excel itself gives a text typed after an apostrophe: the value stays what the user
wrote, and Excel keeps it text even when the cell is edited. Every text cell goes through
`cell_text`, on both paths (`Table.write` and `text_cell`).
"""

import datetime
import math
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chartsheet import Chartsheet
from openpyxl.drawing.spreadsheet_drawing import AbsoluteAnchor
from openpyxl.drawing.xdr import XDRPoint2D, XDRPositiveSize2D
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins, PrintPageSetup
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.functions import fromstring

from focus.figures import Tone
from focus.spreadsheets.measure import CELL_PADDING, LineCounter, text_width
from focus.spreadsheets.upload import XLSX_CONTENT_TYPE

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
MAX_TEXT = 32767  # characters an Excel cell holds

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"

# The workbook's own font (openpyxl's default), named on every font of ours: a font with no
# name is printed in a serif one by LibreOffice.
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", start_color="1F4E78")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
# Turned a quarter, read from the bottom up, from the top of the cell: the autofilter's button
# sits in the bottom corner.
UPRIGHT_ALIGNMENT = Alignment(horizontal="center", vertical="top", wrap_text=True, textRotation=90)
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)
HEADER_LINE = 15  # points a line of 11 pt text takes: Excel's default row height
MAX_ROW_HEIGHT = 409  # points: Excel's tallest row
UPRIGHT_LINE = 11  # characters a line of an upright header holds, at most (longer words too)
UPRIGHT_CHARACTER = 6  # points a bold character of 11 pt takes along an upright line, at most
UPRIGHT_ROOM = 20  # points below an upright header, for the autofilter's button
UPRIGHT_LINE_WIDTH = 2.5  # units of column width an upright line of bold 11 pt text takes
UPRIGHT_MIN_WIDTH = 5  # characters: a column of yes or no, a province

SAMPLE_ROWS = 1000  # rows read ahead to size a table's columns
MIN_WIDTH = 6  # characters
PAPER_A4 = 9  # PrintPageSetup.paperSize
# Inches, Excel's "narrow" margins: room for the header and footer above and below.
MARGINS = {"left": 0.25, "right": 0.25, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
A4_LANDSCAPE_WIDTH = 11.69  # inches
# Points a unit of column width (a digit of the workbook's 11 pt font) takes on paper at 100%:
# LibreOffice's (measured on its PDFs: bench/print_check.py), more than Excel's 5.25 (7
# pixels), so the smaller scale of the two.
WIDTH_POINTS = 5.75
# The smallest print scale a table is laid out for: one wider still prints two (or more) pages
# wide, its first column on each.
MIN_SCALE = 0.6
MAX_PAGES_WIDE = 4
SHEET_HEADER = "&A"  # the sheet's name
SHEET_FOOTER = "Pagina &P di &N"  # Italian, as the headers: the file's layout
CHART_SIZE = (27.0, 16.5)  # cm: a landscape A4 page within MARGINS and the header and footer

EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()  # serial 0 of Excel's 1900 system
SECONDS_A_DAY = 86400
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
    """A column of a table: its header, the widest it gets (characters; see the module) and
    number format, if any, the texts whose cells are filled in a tone's colours (as the pages
    show them), if any; whether a longer text wraps within that width (its row grows to show
    every line) and whether its header is upright (see the module)."""

    header: str
    width: int = 14
    number_format: str = ""
    fills: tuple[tuple[str, Tone], ...] = ()
    wrap: bool = False
    upright: bool = False


def text(header: str, width: int = 20) -> Column:
    return Column(header, width, wrap=True)


def yes_no(header: str) -> Column:
    """A column of yes or no (booleans, written as words: `yes_no_text`)."""
    return Column(header, UPRIGHT_MIN_WIDTH, upright=True)


def upright(column: Column) -> Column:
    """`column` with its header upright, as narrow as its values (a code, a small number)."""
    return replace(column, upright=True)


def date(header: str, width: int = 12) -> Column:
    return Column(header, width, DATE_FORMAT)


def date_time(header: str, width: int = 18) -> Column:
    return Column(header, width, DATETIME_FORMAT)


def integer(header: str, width: int = 10) -> Column:
    return Column(header, width, INTEGER_FORMAT)


def decimal(header: str, width: int = 10) -> Column:
    return Column(header, width, DECIMAL_FORMAT)


def money(header: str, width: int = 12) -> Column:
    return Column(header, width, MONEY_FORMAT)


def percent(header: str, width: int = 10) -> Column:
    return Column(header, width, PERCENT_FORMAT)


class Table:
    """One table filling a `StreamingWorksheet`: `write(rows)` sizes the columns and the
    header row, freezes the header row and writes it, streams the rows of plain values (str,
    int, float, Decimal, bool, date, datetime or None) formatted by column, puts the
    autofilter over them and sets the sheet up for printing (see the module)."""

    def __init__(self, worksheet: StreamingWorksheet, columns: Sequence[Column]):
        self.worksheet = worksheet
        self.columns = tuple(columns)
        self._letters = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        # Each column's cells' styles (every cell has one: LibreOffice aligns a cell with none
        # to the bottom of its row, whatever the workbook's default style says).
        self._styles = [self._column_styles(column) for column in self.columns]
        self._lines: list[LineCounter | None] = [None] * len(self.columns)  # wrapped columns'
        self._words: dict[bool, str] = {}  # yes and no, in the current language (`write`)

    def write(self, rows: Iterable[Sequence]) -> int:
        worksheet, rows = self.worksheet, iter(rows)
        sample = list(islice(rows, SAMPLE_ROWS))
        widths = [column_width(column, sample, i) for i, column in enumerate(self.columns)]
        for letter, width in zip(self._letters, widths, strict=True):
            worksheet.column_dimensions[letter].width = width
        self._lines = [
            LineCounter(width) if column.wrap else None
            for column, width in zip(self.columns, widths, strict=True)
        ]
        self._words = {
            value: f"><is><t>{yes_no_text(value).translate(_ESCAPES)}</t></is></c>"
            for value in (True, False)
        }
        headers = [column.header for column in self.columns]
        uprights = [column.upright for column in self.columns]
        worksheet.row_dimensions[1].height = header_height(headers, widths, uprights)
        worksheet.freeze_panes = "A2"
        pages = pages_wide(widths)
        print_setup(worksheet, pages)
        worksheet.append(header_cells(worksheet, headers, uprights))
        count = 0
        for count, row in enumerate(chain(sample, rows), start=1):
            worksheet.append(RawRow((self._xml(count + 1, row),)))
        worksheet.auto_filter.ref = f"A1:{self._letters[-1]}{count + 1}"
        worksheet.print_area = worksheet.auto_filter.ref
        worksheet.print_title_rows = "1:1"
        if pages > 1:
            worksheet.print_title_cols = "A:A"
        return count

    def _xml(self, index: int, row: Sequence) -> str:
        cells, lines = [], 1
        for letter, styles, wrap, value in zip(
            self._letters, self._styles, self._lines, row, strict=True
        ):
            if value is None:
                continue
            style = styles.value
            if value is True or value is False:  # the word, as the rest of the cell's XML
                cells.append(f'<c r="{letter}{index}" t="inlineStr"{style}{self._words[value]}')
            elif isinstance(value, str):
                value, quoted = cell_text(value)
                if wrap is not None and (len(value) > wrap.short or "\n" in value):
                    lines = max(lines, wrap(value))
                space = (
                    ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
                )
                if quoted:
                    style = styles.quoted
                else:
                    style = styles.fills.get(value, styles.value) if styles.fills else styles.value
                cells.append(
                    f'<c r="{letter}{index}" t="inlineStr"{style}>'
                    f"<is><t{space}>{value.translate(_ESCAPES)}</t></is></c>"
                )
            elif isinstance(value, datetime.datetime):
                cells.append(f'<c r="{letter}{index}"{style}><v>{excel_serial(value)}</v></c>')
            elif isinstance(value, datetime.date):
                serial = value.toordinal() - EXCEL_EPOCH  # a day: no time, no zone
                cells.append(f'<c r="{letter}{index}"{style}><v>{serial}</v></c>')
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{letter}{index}"{style}><v>{value}</v></c>')
            else:
                raise TypeError(f"Cannot write {value!r} into {letter}{index}.")
        height = f' ht="{row_height(lines)}" customHeight="1"' if lines > 1 else ""
        return f'<row r="{index}"{height}>{"".join(cells)}</row>'

    def _column_styles(self, column: Column) -> "_Styles":
        return _Styles(
            self._style_attribute(column),
            self._style_attribute(column, quote_prefix=True),
            {text: self._style_attribute(column, tone=tone) for text, tone in column.fills},
        )

    def _style_attribute(
        self, column: Column, *, quote_prefix: bool = False, tone: Tone | None = None
    ) -> str:
        """The ` s="..."` attribute of a cell of `column`, kept from being a formula or filled
        in `tone` (registered in the workbook's style sheet, as openpyxl does for a styled
        cell): at the top of its row, wrapped in a wrapped column, centred under an upright
        header."""
        cell = WriteOnlyCell(self.worksheet)
        if column.number_format:
            cell.number_format = column.number_format
        if tone is not None:
            cell.fill, cell.font = tone_fill(tone), tone_font(tone)
        cell.alignment = Alignment(
            horizontal="center" if column.upright else None,
            vertical="top",
            wrap_text=column.wrap or None,
        )
        cell.quotePrefix = quote_prefix
        return f' s="{cell.style_id}"'


@dataclass(frozen=True)
class _Styles:
    """The ` s="..."` attributes of a column's cells: of its values, of a text kept from being
    a formula, of each text filled in a tone."""

    value: str
    quoted: str
    fills: dict[str, str]


def excel_serial(value: datetime.datetime) -> str:
    """`value` as Excel's serial number: days since its epoch, the time as the fraction; an
    aware datetime as the wall-clock time of the current time zone (see the module)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    days = value.toordinal() - EXCEL_EPOCH + seconds / SECONDS_A_DAY
    return f"{days:.8f}".rstrip("0").rstrip(".")  # to the second, with no float noise


def naive_local(value: datetime.datetime) -> datetime.datetime:
    """`value` as openpyxl can write it: the wall-clock time of the current time zone."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def yes_no_text(value: bool) -> str:
    """A yes or no as the workbook writes it: a word of the current language."""
    return gettext("Yes") if value else gettext("No")


def tone_fill(tone: Tone) -> PatternFill:
    return PatternFill("solid", start_color=tone.background)


def tone_font(tone: Tone) -> Font:
    return Font(name=FONT_NAME, color=tone.text)


# How a value shows in its column, in characters (near enough: the content's width; digits
# and the characters of a date each take a digit's width, or a little less).
_SHOWN = {
    INTEGER_FORMAT: lambda value: f"{value:,.0f}",
    DECIMAL_FORMAT: lambda value: f"{value:,.1f}",
    MONEY_FORMAT: lambda value: f"{value:,.2f}",
    PERCENT_FORMAT: lambda value: f"{value * 100:.1f}%",
}


def _shown_width(value, number_format: str) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return math.ceil(round(max(text_width(line) for line in value.splitlines() or [""]), 6))
    if value is True or value is False:
        return len(yes_no_text(value))
    if isinstance(value, datetime.datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, datetime.date):
        return len("00/00/0000")
    shown = _SHOWN.get(number_format)
    return len(shown(value) if shown else str(value))


def column_width(column: Column, rows: Sequence[Sequence], index: int) -> int:
    """The width of `column` (the `index`-th of `rows`): what its content needs, never
    narrower than the header's longest word with room for the autofilter's button (an
    upright header: than its lines side by side), nor wider than `column.width` unless the
    header needs it."""
    if column.upright:
        lines = len(upright_lines(column.header))
        least = max(math.ceil(UPRIGHT_LINE_WIDTH * lines + CELL_PADDING), UPRIGHT_MIN_WIDTH)
    else:
        word = max((len(part) for part in column.header.split()), default=0)
        least = max(word + 2, MIN_WIDTH)
    content = max((_shown_width(row[index], column.number_format) for row in rows), default=0)
    return max(min(math.ceil(content + CELL_PADDING), column.width), least)


def row_height(lines: int) -> float:
    """The height (points) of a row showing `lines` lines of 11 pt text."""
    return min(HEADER_LINE * lines, MAX_ROW_HEIGHT)


def upright_lines(header: str) -> list[str]:
    return textwrap.wrap(header, UPRIGHT_LINE, break_long_words=False) or [""]


def header_height(
    headers: Sequence[str], widths: Sequence[float], uprights: Sequence[bool] = ()
) -> float:
    """The height (points) of a header row whose cells wrap `headers` in columns of `widths`
    characters: the lines of the longest, bold text taking a little more than digits; or
    the longest line of an upright header (`uprights`: which are), and room for the
    autofilter's button below it."""
    uprights = uprights or [False] * len(headers)
    lines = max(
        (
            len(textwrap.wrap(header, max(1, int(width) - 2)) or [""])
            for header, width, turned in zip(headers, widths, uprights, strict=True)
            if not turned
        ),
        default=1,
    )
    along = max(
        (
            max(len(line) for line in upright_lines(header))
            for header, turned in zip(headers, uprights, strict=True)
            if turned
        ),
        default=0,
    )
    return min(
        max(HEADER_LINE * lines + 3, UPRIGHT_CHARACTER * along + UPRIGHT_ROOM), MAX_ROW_HEIGHT
    )


def print_scale(widths: Iterable[float]) -> float:
    """The scale at which columns of `widths` (characters) print one page wide on a
    landscape A4 within MARGINS (at most 1): about the scale Excel and LibreOffice choose
    (LibreOffice's, the smaller; see WIDTH_POINTS)."""
    printable = (A4_LANDSCAPE_WIDTH - MARGINS["left"] - MARGINS["right"]) * 72
    return min(1.0, printable / (sum(widths) * WIDTH_POINTS))


def pages_wide(widths: Sequence[float]) -> int:
    """The pages wide a table of columns of `widths` prints on at `MIN_SCALE` or more: one,
    unless it is wider than that (the first column is repeated on each page)."""
    pages = 1
    while (
        pages < MAX_PAGES_WIDE
        and print_scale([*widths, *[widths[0]] * (pages - 1)]) * pages < MIN_SCALE
    ):
        pages += 1
    return pages


def print_setup(worksheet, pages: int = 1) -> None:
    """Landscape A4, `pages` wide and as many tall as it takes, with the sheet's name above
    and the page numbers below; more than one page wide, the pages of the same rows one after
    the other. Before the sheet's first row: the fit to the page is a property the sheet's
    XML carries before its rows."""
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = PAPER_A4
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = pages, 0
    if pages > 1:
        worksheet.page_setup.pageOrder = "overThenDown"
    worksheet.page_margins = PageMargins(**MARGINS)
    _header_footer(worksheet)


def _header_footer(sheet) -> None:
    sheet.HeaderFooter.oddHeader.center.text = SHEET_HEADER
    sheet.HeaderFooter.oddFooter.center.text = SHEET_FOOTER


def chart_sheet(workbook: Workbook, title: str, chart) -> Chartsheet:
    """A chart sheet of `workbook` named `title` holding `chart` alone, printed on one
    landscape page: Excel fits the chart to the page; LibreOffice draws it at its size,
    which is the page's."""
    sheet = workbook.create_chartsheet(title)
    chart.width, chart.height = CHART_SIZE
    sheet.add_chart(chart)
    chart.anchor = AbsoluteAnchor(
        pos=XDRPoint2D(0, 0), ext=XDRPositiveSize2D(cm_to_EMU(chart.width), cm_to_EMU(chart.height))
    )
    sheet.pageSetup = PrintPageSetup(orientation="landscape", paperSize=PAPER_A4)
    sheet.pageMargins = PageMargins(**MARGINS)
    _header_footer(sheet)
    return sheet


def header_cells(
    worksheet, headers: Sequence[str], uprights: Sequence[bool] = ()
) -> list[WriteOnlyCell]:
    """The header row's cells, those of `uprights` upright (`Column.upright`)."""
    uprights = uprights or [False] * len(headers)
    cells = []
    for header, turned in zip(headers, uprights, strict=True):
        cell = WriteOnlyCell(worksheet, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = UPRIGHT_ALIGNMENT if turned else HEADER_ALIGNMENT
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
