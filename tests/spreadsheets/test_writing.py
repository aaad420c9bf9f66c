"""A table of a written workbook as a person opens or prints it: yes and no as words, long
texts wrapped in rows tall enough to show them, short values under upright headers, and a
table too wide for one page at a readable scale printed on two, its first column on each."""

import io

from django.utils import translation
from openpyxl import load_workbook

from focus.spreadsheets.measure import text_width, wrapped_lines
from focus.spreadsheets.writing import (
    Column,
    StreamingWorkbook,
    Table,
    integer,
    print_scale,
    text,
    upright,
    yes_no,
)


def _written(columns, rows):
    workbook = StreamingWorkbook()
    Table(workbook.create_sheet("Foglio"), columns).write(rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)["Foglio"]


def test_yes_and_no_are_words_of_the_current_language():
    columns = (text("Nome"), yes_no("Notturno"))
    rows = [("Anna", True), ("Bruno", False), ("Carla", None)]
    with translation.override("it"):
        sheet = _written(columns, rows)
    assert [cell.value for cell in sheet["B"][1:]] == ["Sì", "No", None]
    assert {cell.data_type for cell in sheet["B"][1:3]} == {"s"}  # text, not TRUE / FALSE
    with translation.override("en"):
        sheet = _written(columns, rows)
    assert [cell.value for cell in sheet["B"][1:]] == ["Yes", "No", None]


def test_a_long_text_wraps_in_a_row_tall_enough_for_its_lines():
    note = "Disponibile a trasferte brevi nei comuni vicini, non nei fine settimana. " * 3
    sheet = _written((text("Azienda", 20), text("Note", 24)), [("Breve", "Corta"), ("Breve", note)])
    assert sheet.column_dimensions["B"].width == 24  # its widest
    cell = sheet["B3"]
    assert cell.alignment.wrap_text
    assert cell.alignment.vertical == "top"  # the row reads across from its top
    assert sheet["A3"].alignment.vertical == "top"
    # 219 characters at fewer than 1.5 a unit of width: at least 7 lines of 15 points.
    assert sheet.row_dimensions[3].height >= 7 * 15
    assert sheet.row_dimensions[2].height is None  # one line: the default height


def test_a_text_broken_by_lines_takes_a_line_each():
    sheet = _written((text("Note", 30),), [("prima riga\nseconda riga\nterza riga",)])
    assert sheet.row_dimensions[2].height == 3 * 15


def test_a_column_of_short_values_stands_under_an_upright_header():
    columns = (yes_no("Carichi di cura"), upright(integer("Anni di esperienza", 6)))
    sheet = _written(columns, [(True, 3), (False, 12)])
    for letter, header in (("A", "Carichi di cura"), ("B", "Anni di esperienza")):
        assert sheet[f"{letter}1"].alignment.textRotation == 90
        assert sheet.column_dimensions[letter].width < max(map(len, header.split()))
    # The header row as tall as the longest upright line ("esperienza") needs.
    assert sheet.row_dimensions[1].height >= 5 * len("esperienza")


def test_a_table_too_wide_for_sixty_percent_prints_two_pages_wide_with_its_first_column():
    columns = [Column("Codice", 16), *(text(f"Colonna {n}", 20) for n in range(18))]
    rows = [("P-0123456789AB", *("x" * 30 for _ in range(18)))]
    sheet = _written(columns, rows)
    assert print_scale(sheet.column_dimensions[c].width for c in sheet.column_dimensions) < 0.6
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (2, 0)
    assert sheet.print_title_cols == "$A:$A"
    assert sheet.print_title_rows == "$1:$1"
    narrow = _written(columns[:8], [row[:8] for row in rows])
    assert narrow.page_setup.fitToWidth == 1
    assert narrow.print_title_cols is None


def test_lines_are_counted_by_the_width_of_their_letters():
    assert text_width("0123456789") == 10  # a digit: the unit of a column's width
    assert text_width("iiii") < text_width("MMMM")
    assert wrapped_lines("Tempo pieno", 14) == 1
    assert wrapped_lines("Tempo indeterminato", 14) == 2  # at the space
    assert wrapped_lines("Rilevazione fabbisogni 2026", 16) == 2
    assert wrapped_lines("assemblaggio/montaggio", 10) == 3  # a long word is broken
    assert wrapped_lines("uno\ndue", 30) == 2
    assert wrapped_lines("", 10) == 1
