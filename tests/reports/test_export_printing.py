"""The programme workbook on paper and on screen: each table prints landscape, one page wide,
its header row whole and on every page, with the sheet's name and the page numbers; each
chart on a landscape page of its own; interviews keep their time, Bergamo's; the classes in
the dashboard's colours. (bench/print_check.py prints it through LibreOffice, to look at.)"""

import datetime
import io
import re
import textwrap
import zipfile
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.units import cm_to_EMU

from interviews.models import Interview
from reports.exporting import CHART_SHEETS, SHEETS, CandidateCodes, workbook_write
from reports.figures import Period
from tests.reports import export_data

# The dashboard's colours (tests/browser/test_dashboard.py reads them from the page).
GREEN, AMBER, RED, BLUE = "198754", "FFC107", "DC3545", "0B4F8A"
WHITE, BLACK = "FFFFFF", "000000"
CLASS_COLOURS = {"A": (GREEN, WHITE), "B": (AMBER, BLACK), "C": (RED, WHITE)}
A4_LANDSCAPE_CM = (29.7, 21.0)


@pytest.fixture
def programme(staff):
    return export_data.build(staff=staff)


def _write(actor, *, full=False):
    buffer = io.BytesIO()
    rows = workbook_write(buffer, actor=actor, period=Period(), full=full)
    buffer.seek(0)
    return load_workbook(buffer), rows, buffer


def _headers(worksheet) -> list[str]:
    return [cell.value for cell in next(worksheet.iter_rows(max_row=1)) if cell.value]


def _table(worksheet) -> list[dict]:
    rows = worksheet.iter_rows(values_only=True)
    headers = [header for header in next(rows) if header]
    return [dict(zip(headers, row, strict=False)) for row in rows]


def _column(worksheet, header: str) -> int:
    return _headers(worksheet).index(header) + 1


@pytest.mark.django_db
def test_every_sheet_prints_landscape_one_page_wide_with_its_name_and_page_numbers(
    admin, programme
):
    workbook, rows, _buffer = _write(admin)
    for title in SHEETS:
        worksheet = workbook[title]
        setup = worksheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), title  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), title  # as tall as it takes
        assert worksheet.sheet_properties.pageSetUpPr.fitToPage, title
        assert worksheet.oddHeader.center.text == "&A", title  # the sheet's name
        assert worksheet.oddFooter.center.text == "Pagina &P di &N", title
        margins = worksheet.page_margins
        for margin in (margins.left, margins.right, margins.top, margins.bottom):
            assert 0.25 <= margin <= 1, title  # inches
    for title in SHEETS[1:]:
        worksheet = workbook[title]
        last = get_column_letter(len(_headers(worksheet)))
        assert worksheet.print_title_rows == "$1:$1", title  # the header row on every page
        assert worksheet.print_area == f"'{title}'!$A$1:${last}${rows[title] + 1}", title
    summary = workbook["Riepilogo"]
    assert summary.print_title_rows is None  # its tables have a header each
    assert summary.print_area == f"'Riepilogo'!$A$1:$J${summary.max_row}"


@pytest.mark.django_db
def test_header_rows_are_tall_enough_to_show_their_wrapped_headers_whole(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    for title in SHEETS[1:]:
        worksheet = workbook[title]
        height = worksheet.row_dimensions[1].height
        assert worksheet["A1"].alignment.wrap_text, title
        for index, header in enumerate(_headers(worksheet), start=1):
            width = worksheet.column_dimensions[get_column_letter(index)].width
            assert max(len(word) for word in header.split()) < width, (title, header)
            lines = len(textwrap.wrap(header, int(width) - 2))
            assert height >= 15 * lines, (title, header)  # 15 points a line of 11 pt text
    candidates = workbook["Candidati"]  # "Consenso abbinamento" wraps: two lines at least
    assert candidates.row_dimensions[1].height >= 30


def _shown(value) -> int:
    """About the characters a value takes in its cell."""
    if isinstance(value, datetime.datetime):
        return 10 if value.time() == datetime.time() else 16
    if isinstance(value, bool):
        return 5
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return len(f"{value:,}" if isinstance(value, int) else str(value))


@pytest.mark.django_db
def test_columns_are_as_wide_as_their_content_within_bounds(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    for title in SHEETS[1:]:
        worksheet = workbook[title]
        for index, column in enumerate(worksheet.iter_cols(min_row=2, values_only=True), 1):
            width = worksheet.column_dimensions[get_column_letter(index)].width
            content = max((_shown(value) for value in column if value is not None), default=0)
            assert width >= min(content, 38), (title, index)
            assert width <= 50, (title, index)
    candidates = workbook["Candidati"]
    code = CandidateCodes()(programme.person.pk)  # "P-" and 12 digits: never cut
    assert candidates.column_dimensions["A"].width > len(code)
    needs = workbook["Fabbisogni"]  # narrower than its bound (40), wider than its header
    assert len("Stato") + 2 <= needs.column_dimensions["S"].width < 20


@pytest.mark.django_db
def test_interviews_keep_their_time_as_in_bergamo_whoever_downloads_it(admin, programme):
    person = Interview.objects.get(candidate=programme.person)
    other = Interview.objects.filter(assessment__isnull=False).exclude(pk=person.pk).first()
    # 00:30 of 15 July in Bergamo (summer time); 09:15 of 1 December (winter time).
    Interview.objects.filter(pk=person.pk).update(
        scheduled_at=datetime.datetime(2026, 7, 14, 22, 30, tzinfo=datetime.UTC)
    )
    Interview.objects.filter(pk=other.pk).update(
        scheduled_at=datetime.datetime(2026, 12, 1, 8, 15, tzinfo=datetime.UTC)
    )
    with timezone.override("America/New_York"):
        workbook, _rows, _buffer = _write(admin)
    interviews = workbook["Colloqui"]
    at = {
        (row["Tranche"], row["Codice candidato"]): row["Data colloquio"]
        for row in _table(interviews)
    }
    code = CandidateCodes()
    # As Excel wants them: naive, the wall-clock time in Bergamo.
    assert at[(person.tranche.name, code(person.candidate_id))] == _naive(2026, 7, 15, 0, 30)
    assert at[(other.tranche.name, code(other.candidate_id))] == _naive(2026, 12, 1, 9, 15)
    column = _column(interviews, "Data colloquio")
    assert interviews.cell(row=2, column=column).number_format == "DD/MM/YYYY HH:MM"
    assessed = interviews.cell(row=2, column=_column(interviews, "Valutato il"))
    assert assessed.number_format == "DD/MM/YYYY"  # a day, no time
    generated = next(
        row[1].value for row in workbook["Riepilogo"].iter_rows() if row[0].value == "Generato il"
    )
    assert generated.tzinfo is None
    rome = timezone.localtime(timezone=zoneinfo.ZoneInfo("Europe/Rome")).replace(tzinfo=None)
    assert datetime.timedelta(0) <= rome - generated < datetime.timedelta(minutes=2)


def _naive(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC).replace(tzinfo=None)


def _drawing_sizes(buffer) -> list[tuple[int, int]]:
    with zipfile.ZipFile(buffer) as archive:
        drawings = [
            name for name in archive.namelist() if re.match(r"xl/drawings/drawing\d+", name)
        ]
        return [
            tuple(int(n) for n in re.search(r'<ext cx="(\d+)" cy="(\d+)"', xml).groups())
            for xml in (archive.read(name).decode() for name in drawings)
        ]


@pytest.mark.django_db
def test_each_chart_is_on_a_landscape_page_of_its_own(admin, programme):
    workbook, _rows, buffer = _write(admin)
    assert workbook.sheetnames == [*SHEETS, *CHART_SHEETS]
    assert all(not worksheet._charts for worksheet in workbook.worksheets)  # none over a table
    for sheet in workbook.chartsheets:
        assert len(sheet._charts) == 1, sheet.title
        assert sheet.pageSetup.orientation == "landscape", sheet.title
        assert sheet.HeaderFooter.oddHeader.center.text == "&A", sheet.title
    sizes = _drawing_sizes(buffer)
    assert len(sizes) == len(CHART_SHEETS)
    page_width, page_height = (cm_to_EMU(side - 2 * 2.54 * 0.4) for side in A4_LANDSCAPE_CM)
    for width, height in sizes:  # most of the page, within its margins
        assert page_width * 0.8 < width <= page_width
        assert page_height * 0.6 < height <= page_height


def _series_colours(chart) -> list[str]:
    return [series.graphicalProperties.solidFill.srgbClr for series in chart.series]


@pytest.mark.django_db
def test_charts_draw_the_classes_and_the_figures_in_the_dashboards_colours(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    pie = workbook["Grafico classi"]._charts[0]
    points = [point.graphicalProperties.solidFill.srgbClr for point in pie.series[0].dPt]
    assert points == [GREEN, AMBER, RED]  # A, B, C
    assert _series_colours(workbook["Grafico percorso"]._charts[0]) == [BLUE]
    # People needed in the portal's blue, suitable candidates in green, as on the dashboard.
    assert _series_colours(workbook["Grafico domanda"]._charts[0]) == [BLUE, GREEN]
    assert _series_colours(workbook["Grafico ostacoli"]._charts[0]) == [AMBER]
    assert _series_colours(workbook["Grafico finanziamenti"]._charts[0]) == [BLUE]


@pytest.mark.django_db
def test_class_cells_are_filled_in_the_dashboards_colours(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    seen = set()
    for title in ("Candidati", "Colloqui"):
        worksheet = workbook[title]
        column = _column(worksheet, "Classe")
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if cell.value is None:
                assert cell.fill.fill_type is None, title
                continue
            background, text = CLASS_COLOURS[cell.value[0]]
            assert cell.fill.fgColor.rgb.endswith(background), (title, cell.value)
            assert cell.font.color.rgb.endswith(text), (title, cell.value)
            seen.add(cell.value[0])
    assert seen == {"A", "B", "C"}
    summary = {row[0].value: row[0] for row in workbook["Riepilogo"].iter_rows(max_col=1)}
    for label, cls in (("A - collocabile subito", "A"), ("C - bassa occupabilità", "C")):
        assert summary[label].fill.fgColor.rgb.endswith(CLASS_COLOURS[cls][0])


@pytest.mark.django_db
def test_the_dashboard_draws_the_classes_in_the_same_colours(login, admin, programme):
    html = login(admin).get(reverse("reports:dashboard")).text
    bars = html[html.index("progress-stacked") : html.index('data-testid="classes"')]
    assert re.findall(r"progress-bar text-bg-(\w+)", bars) == ["success", "warning", "danger"]
