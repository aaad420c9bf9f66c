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
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.units import cm_to_EMU

from accounts.models import Organisation
from catalog.languages import ItalianLevel
from catalog.models import Comune, JobProfile
from companies.models import Need, SurveyCampaign
from focus.figures import TONES
from interviews.models import CLASS_TONES, EmployabilityClass, Interview
from reports.exporting import CHART_SHEETS, SHEETS, CandidateCodes, workbook_write
from reports.figures import Period
from tests.factories import NeedFactory
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


def _upright(cell) -> bool:
    return cell.alignment.textRotation == 90


@pytest.mark.django_db
def test_header_rows_are_tall_enough_to_show_their_wrapped_headers_whole(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    for title in SHEETS[1:]:
        worksheet = workbook[title]
        height = worksheet.row_dimensions[1].height
        for index, header in enumerate(_headers(worksheet), start=1):
            cell = worksheet.cell(row=1, column=index)
            width = worksheet.column_dimensions[get_column_letter(index)].width
            assert cell.alignment.wrap_text, (title, header)
            if _upright(cell):  # read from the bottom up: its lines side by side
                lines = textwrap.wrap(header, 11, break_long_words=False)
                assert width >= 2.5 * len(lines), (title, header)
                assert height >= 5 * max(len(line) for line in lines), (title, header)
                continue
            assert max(len(word) for word in header.split()) < width, (title, header)
            lines = len(textwrap.wrap(header, int(width) - 2))
            assert height >= 15 * lines, (title, header)  # 15 points a line of 11 pt text
    candidates = workbook["Candidati"]  # "Comune di residenza" wraps: two lines at least
    assert candidates.row_dimensions[1].height >= 30
    needs = workbook["Fabbisogni"]
    assert _upright(needs.cell(row=1, column=_column(needs, "Notturno")))
    assert not _upright(needs.cell(row=1, column=_column(needs, "Azienda")))


def _shown(value) -> int:
    """About the characters a value takes in its cell."""
    if isinstance(value, datetime.datetime):
        return 10 if value.time() == datetime.time() else 16
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return len(f"{value:,}" if isinstance(value, int) else str(value))


@pytest.mark.django_db
def test_columns_are_as_wide_as_their_content_or_wrap_it_in_rows_that_show_every_line(
    admin, programme
):
    workbook, _rows, _buffer = _write(admin, full=True)
    for title in SHEETS[1:]:
        worksheet = workbook[title]
        for index, column in enumerate(worksheet.iter_cols(min_row=2), 1):
            width = worksheet.column_dimensions[get_column_letter(index)].width
            assert width <= 50, (title, index)
            for cell in column:
                if not isinstance(cell.value, str):  # numbers, days, times: on one line
                    assert cell.value is None or _shown(cell.value) <= width, cell.coordinate
                    continue
                # A line of text holds fewer than 1.5 characters a unit of width (the width
                # counts digits; letters are two thirds of a digit or wider, but for a few):
                # a text longer than that wraps, its row as tall as its lines need.
                lines = len(textwrap.wrap(cell.value, int(width * 1.5)))
                if lines > 1:
                    assert cell.alignment.wrap_text, (title, cell.coordinate, cell.value)
                    height = worksheet.row_dimensions[cell.row].height
                    assert height >= 15 * lines, (title, cell.coordinate, cell.value)
    candidates = workbook["Candidati"]
    code = CandidateCodes()(programme.person.pk)  # "P-" and 12 digits: never cut
    assert candidates.column_dimensions["A"].width > len(code)
    assert candidates.column_dimensions["A"].width <= 16
    needs = workbook["Fabbisogni"]  # narrower than its bound, wider than its header
    assert len("Stato") + 2 <= needs.column_dimensions["S"].width < 12


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


# On paper ----------------------------------------------------------------------------------

A4_LANDSCAPE_POINTS = 29.7 / 2.54 * 72
# Points a unit of column width prints at, at 100%: LibreOffice's, measured on its PDFs
# (bench/print_check.py); Excel's is smaller (7 pixels, 5.25 points), so it prints larger.
WIDTH_POINTS = 5.75
YES_NO_COLUMNS = {
    "Fabbisogni": ("Notturno", "Festivi", "Auto richiesta"),
    "Candidati": ("Auto propria", "Notturno", "Festivi", "Carichi di cura", "Consenso abbinamento"),
    "Finanziamenti": ("Richiede la DID",),
}


def _printed_width(worksheet, columns=None) -> float:
    """The width (points, at 100%) of the columns the sheet prints (its print area's, or
    `columns`, 1-based)."""
    area = worksheet.print_area.split("!")[-1].replace("$", "")
    first, last = (
        column_index_from_string(re.match(r"[A-Z]+", part)[0]) for part in area.split(":")
    )
    columns = columns or range(first, last + 1)
    return WIDTH_POINTS * sum(
        worksheet.column_dimensions[get_column_letter(column)].width for column in columns
    )


def _scale(worksheet, pages: int = 1) -> float:
    """The scale a sheet prints at `pages` wide: its columns (and the repeated first column on
    the pages after the first) over the width of as many landscape A4 pages, within the
    margins."""
    margins = worksheet.page_margins
    printable = (A4_LANDSCAPE_POINTS - 72 * (margins.left + margins.right)) * pages
    repeated = _printed_width(worksheet, [1]) * (pages - 1)
    return min(1.0, printable / (_printed_width(worksheet) + repeated))


@pytest.mark.django_db
def test_yes_and_no_are_written_si_and_no_and_filter_as_two_choices(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    assert not [cell.coordinate for cell in _all_cells(workbook) if cell.data_type == "b"]
    seen = set()
    for title, headers in YES_NO_COLUMNS.items():
        for row in _table(workbook[title]):
            for header in headers:
                assert row[header] in {"Sì", "No", None}, (title, header, row[header])
                seen.add(row[header])
    assert {"Sì", "No"} <= seen
    channels = {row["Canale di finanziamento"]: row for row in _table(workbook["Finanziamenti"])}
    assert channels["Non ancora deciso"]["Richiede la DID"] is None  # no channel: blank


@pytest.mark.django_db
def test_the_english_workbook_writes_yes_and_no(admin, programme, settings):
    settings.LANGUAGE_CODE = "en"
    workbook, _rows, _buffer = _write(admin)
    values = {
        row[header]
        for row in _table(workbook["Candidati"])
        for header in YES_NO_COLUMNS["Candidati"]
    }
    assert values == {"Yes", "No"}


def _all_cells(workbook):
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            yield from (cell for cell in row if cell.value is not None)


@pytest.mark.django_db
def test_every_table_prints_one_page_wide_at_sixty_percent_or_more(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    for title in SHEETS:
        worksheet = workbook[title]
        assert worksheet.page_setup.fitToWidth == 1, title
        assert _scale(worksheet) >= 0.6, (title, _scale(worksheet))
    # Before: Fabbisogni's twenty columns printed at about 40%.
    assert _scale(workbook["Fabbisogni"]) >= 0.65


@pytest.mark.django_db
def test_the_full_candidates_sheet_prints_two_pages_wide_with_the_code_on_each(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    candidates = workbook["Candidati"]
    assert _scale(candidates) < 0.6  # the identity's eight columns more
    setup = candidates.page_setup
    assert (setup.fitToWidth, setup.fitToHeight) == (2, 0)
    assert setup.pageOrder == "overThenDown"  # the second half of the same rows next
    assert candidates.print_title_cols == "$A:$A"  # the code, on both pages
    assert candidates.print_title_rows == "$1:$1"
    assert _scale(candidates, pages=2) >= 0.6
    for title in SHEETS:  # the others, one page wide still
        if title != "Candidati":
            assert workbook[title].page_setup.fitToWidth == 1, title
            assert _scale(workbook[title]) >= 0.6, title


def _longest(choices) -> str:
    return max(choices.values, key=lambda value: len(dict(choices.choices)[value]))


@pytest.mark.django_db
def test_the_needs_sheet_prints_at_sixty_percent_however_long_its_texts(admin, programme):
    """Every text of a need as long as it gets: each column reaches its widest, the texts
    wrap, and the sheet still prints one page wide at 60% or more."""
    long = "Officine Meccaniche di Precisione e Carpenteria Metallica Bergamasca "
    need = NeedFactory(
        campaign=programme.campaign,
        notes=long * 8,
        contract=_longest(Need.Contract),
        hours=_longest(Need.Hours),
        shifts=_longest(Need.Shifts),
        italian_level=ItalianLevel.C2,
        driving_licence=max(Need.Licence.values, key=len),
        duration_months=36,
        min_experience_years=10,
    )
    Organisation.objects.filter(company=need.company).update(name=long + "S.p.A.")
    JobProfile.objects.filter(pk=need.profile_id).update(name_it=long[:60])
    Comune.objects.filter(pk=need.workplace_id).update(name="San Giovanni Bianco di Val Brembana")
    SurveyCampaign.objects.filter(pk=need.campaign_id).update(name=long[:80])
    workbook, _rows, _buffer = _write(admin)
    needs = workbook["Fabbisogni"]
    assert _scale(needs) >= 0.6, _scale(needs)
    row = next(
        cells
        for cells in needs.iter_rows(min_row=2)
        if cells[_column(needs, "Note") - 1].value == long * 8
    )
    note = row[_column(needs, "Note") - 1]
    width = needs.column_dimensions[note.column_letter].width
    assert note.alignment.wrap_text
    lines = len(textwrap.wrap(note.value, int(width * 1.5)))  # at least as many lines
    assert lines >= 15
    assert needs.row_dimensions[note.row].height >= 15 * lines


@pytest.mark.django_db
def test_date_times_keep_their_time_in_the_italian_format(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    interviews = workbook["Colloqui"]
    column = _column(interviews, "Data colloquio")
    times = [row[column - 1] for row in interviews.iter_rows(min_row=2)]
    assert times
    assert all(cell.number_format == "DD/MM/YYYY HH:MM" for cell in times)
    assert {cell.value.time() for cell in times} != {datetime.time()}  # not all at midnight
    generated = next(
        row[1] for row in workbook["Riepilogo"].iter_rows() if row[0].value == "Generato il"
    )
    assert generated.number_format == "DD/MM/YYYY HH:MM"
    candidates = workbook["Candidati"]
    column = _column(candidates, "Registrato il")
    days = [row[column - 1] for row in candidates.iter_rows(min_row=2)]
    assert days
    assert all(cell.number_format == "DD/MM/YYYY" for cell in days)  # a day


@pytest.mark.django_db
def test_class_cells_take_the_tones_the_dashboard_gives_each_class(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    labels = {str(cls.label): TONES[CLASS_TONES[cls]] for cls in EmployabilityClass}
    filled = []
    for title in ("Candidati", "Colloqui"):
        worksheet = workbook[title]
        column = _column(worksheet, "Classe")
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if cell.value is not None:
                tone = labels[cell.value]
                assert cell.fill.fgColor.rgb[-6:] == tone.background, (title, cell.value)
                assert cell.font.color.rgb[-6:] == tone.text, (title, cell.value)
                filled.append(cell.value)
    summary = [row[0] for row in workbook["Riepilogo"].iter_rows(max_col=1) if row[0].value]
    for cell in summary:
        if cell.value in labels:
            assert cell.fill.fgColor.rgb[-6:] == labels[cell.value].background
            filled.append(cell.value)
    assert set(filled) == set(labels)
    pie = workbook["Grafico classi"]._charts[0]
    points = [point.graphicalProperties.solidFill.srgbClr for point in pie.series[0].dPt]
    assert points == [TONES[CLASS_TONES[cls]].background for cls in EmployabilityClass]
