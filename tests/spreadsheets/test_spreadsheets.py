"""The import machinery: what it refuses, how it reads, what it reports, the template."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from catalog.cells import ComuneName, comune_cleaner, comune_find
from catalog.models import AtecoCode, JobProfile, Skill
from focus.spreadsheets import (
    Choice,
    Column,
    Date,
    ImportRefused,
    Integer,
    ListOf,
    Lookup,
    SheetSpec,
    Text,
    YesNo,
    check_upload,
    import_templates,
    import_workbook,
    read_workbook,
    write_template,
)
from tests.spreadsheets.workbooks import (
    MINIMAL_PARTS,
    encrypted,
    garbled,
    upload,
    with_parts,
    xlsx_bytes,
    xlsx_upload,
    zip_bytes,
)

SKILL_HEADERS = ["Codice", "Nome", "Nome inglese", "In uso"]
SKILLS = SheetSpec(
    title="Competenze",
    columns=(
        Column("Codice", "code", Text(max_length=60), required=True),
        Column("Nome", "name_it", Text(max_length=200), required=True),
        Column("Nome inglese", "name_en", Text(max_length=200)),
        Column("In uso", "is_active", YesNo(), default=True),
    ),
    unique=(("code",),),
)


def write_skill(row) -> bool:
    skill = Skill.objects.filter(code=row.values["code"]).first() or Skill(code=row.values["code"])
    created = skill.pk is None
    for name, value in row.values.items():
        setattr(skill, name, value)
    skill.name_en = skill.name_en or skill.name_it
    skill.full_clean()
    skill.save()
    return created


def import_skills(file, *, dry_run=False):
    return import_workbook(file, [SKILLS], {"Competenze": write_skill}, dry_run=dry_run)


# What check_upload refuses ------------------------------------------------------------------


def refusal(content: bytes, name: str = "rilevazione.xlsx") -> str:
    with pytest.raises(ImportRefused) as caught:
        check_upload(upload(content, name))
    return str(caught.value)


def test_a_workbook_made_by_openpyxl_passes_the_checks():
    check_upload(xlsx_upload({"Competenze": [SKILL_HEADERS]}))


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("name", ["competenze.csv", "competenze.xls", "competenze", "a.xlsx.exe"])
def test_only_the_xlsx_extension_is_accepted(name):
    message = refusal(xlsx_bytes({"Competenze": [SKILL_HEADERS]}), name)
    assert "Only Excel workbooks (.xlsx)" in message
    assert name in message


@pytest.mark.usefixtures("english")
def test_an_old_xls_file_renamed_xlsx_is_refused_with_a_hint():
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert "old Excel file (.xls)" in message


@pytest.mark.usefixtures("english")
def test_a_text_file_renamed_xlsx_is_refused():
    assert "not an Excel workbook" in refusal(b"Codice;Nome\nsaldatura;Saldatura\n")


@pytest.mark.usefixtures("english")
def test_a_macro_enabled_workbook_is_refused_by_its_extension():
    message = refusal(xlsx_bytes({"Competenze": [SKILL_HEADERS]}), "competenze.xlsm")
    assert "macros" in message


@pytest.mark.usefixtures("english")
def test_a_workbook_carrying_a_macro_project_is_refused_whatever_its_name():
    content = with_parts(xlsx_bytes({"Competenze": [SKILL_HEADERS]}), {"xl/vbaProject.bin": b"x"})
    assert "macros" in refusal(content)


@pytest.mark.usefixtures("english")
def test_a_workbook_declaring_macro_enabled_content_is_refused():
    types = (
        b"<Types><Override "
        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    content = with_parts(
        xlsx_bytes({"Competenze": [SKILL_HEADERS]}), {"[Content_Types].xml": types}
    )
    assert "macros" in refusal(content)


@pytest.mark.usefixtures("english")
def test_a_file_above_the_configured_size_is_refused(settings):
    content = xlsx_bytes({"Competenze": [SKILL_HEADERS]})
    settings.IMPORT_MAX_BYTES = len(content) - 1
    assert "more than the" in refusal(content)
    settings.IMPORT_MAX_BYTES = len(content)
    check_upload(upload(content))


@pytest.mark.usefixtures("english")
def test_a_zip_bomb_is_refused_before_it_is_inflated():
    content = zip_bytes(MINIMAL_PARTS, big={"xl/worksheets/sheet1.xml": 60})
    assert len(content) < 1024 * 1024  # 60 MiB inside, a few KiB on disk
    assert "expands to far more data" in refusal(content)


@pytest.mark.usefixtures("english")
def test_a_part_compressed_more_than_a_hundred_times_is_refused():
    content = zip_bytes(MINIMAL_PARTS, big={"xl/sharedStrings.xml": 2})
    assert "expands to far more data" in refusal(content)


@pytest.mark.usefixtures("english")
def test_a_zip_of_too_many_parts_is_refused():
    parts = {**MINIMAL_PARTS, **{f"xl/media/image{n}.png": b"" for n in range(1001)}}
    assert "expands to far more data" in refusal(zip_bytes(parts))


@pytest.mark.usefixtures("english")
def test_a_zip_that_is_not_a_workbook_is_refused():
    assert "not an Excel workbook" in refusal(zip_bytes({"word/document.xml": b"<w/>"}))


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "damage",
    [lambda c: c[: len(c) // 2], garbled, encrypted],
    ids=["truncated", "garbled", "encrypted"],
)
def test_a_damaged_or_encrypted_zip_is_refused(damage):
    content = damage(xlsx_bytes({"Competenze": [SKILL_HEADERS, ["a", "b"]]}))
    assert "damaged or encrypted" in refusal(content)


@pytest.mark.usefixtures("english")
def test_xml_with_a_dtd_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">]><workbook>&a;</workbook>'
    content = with_parts(xlsx_bytes({"Competenze": [SKILL_HEADERS]}), {"xl/workbook.xml": bomb})
    assert "XML that Excel never writes" in refusal(content)


# Reading ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_are_read_with_their_excel_numbers_and_blank_rows_skipped():
    file = xlsx_upload(
        {
            "Competenze": [
                SKILL_HEADERS,
                ["  saldatura-laser ", "Saldatura laser", None, "sì"],
                [None, None, None, None],
                [],
                ["verniciatura", "Verniciatura", "Painting", "no"],
            ]
        }
    )
    parsed = read_workbook(file, [SKILLS])
    assert parsed.errors == []
    rows = parsed.rows["Competenze"]
    assert [row.number for row in rows] == [2, 5]
    assert rows[0].values == {
        "code": "saldatura-laser",
        "name_it": "Saldatura laser",
        "name_en": "",
        "is_active": True,
    }
    assert rows[1].values["is_active"] is False


@pytest.mark.django_db
def test_every_bad_cell_of_every_row_is_reported_with_sheet_row_and_column():
    file = xlsx_upload(
        {
            "Competenze": [
                SKILL_HEADERS,
                [None, "Senza codice", None, "sì"],
                ["ok", "Va bene", None, "forse"],
                ["x" * 61, "Codice lungo", None, None],
            ]
        }
    )
    parsed = read_workbook(file, [SKILLS])
    assert [(e.sheet, e.row, e.column) for e in parsed.errors] == [
        ("Competenze", 2, "Codice"),
        ("Competenze", 3, "In uso"),
        ("Competenze", 4, "Codice"),
    ]


@pytest.mark.django_db
def test_a_key_repeated_in_the_file_names_both_rows():
    file = xlsx_upload(
        {"Competenze": [SKILL_HEADERS, ["laser", "Laser"], ["altro", "Altro"], ["LASER", "Bis"]]}
    )
    [error] = read_workbook(file, [SKILLS]).errors
    assert (error.row, error.column) == (4, "Codice")
    assert "2" in error.message


@pytest.mark.usefixtures("english")
@pytest.mark.django_db
def test_unknown_and_missing_required_headers_refuse_the_file_naming_them():
    file = xlsx_upload({"Competenze": [["Codice", "Descrizione", "Colore"], ["laser", "x", "y"]]})
    with pytest.raises(ImportRefused) as caught:
        read_workbook(file, [SKILLS])
    message = str(caught.value)
    assert "unknown columns “Descrizione”, “Colore”" in message
    assert "required columns missing: “Nome”" in message


@pytest.mark.usefixtures("english")
@pytest.mark.django_db
def test_a_workbook_without_any_known_sheet_is_refused():
    file = xlsx_upload({"Foglio1": [SKILL_HEADERS]})
    with pytest.raises(ImportRefused, match="none of the sheets “Competenze”"):
        read_workbook(file, [SKILLS])


@pytest.mark.django_db
def test_headers_match_whatever_their_case_spacing_or_required_star():
    file = xlsx_upload(
        {"competenze": [[" codice *", "NOME*", "in  uso"], ["laser", "Laser", "no"]]}
    )
    parsed = read_workbook(file, [SKILLS])
    assert parsed.rows["Competenze"][0].values == {
        "code": "laser",
        "name_it": "Laser",
        "is_active": False,
    }


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_plain_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Competenze"
    sheet.append(SKILL_HEADERS)
    sheet.append(["laser", "Laser"])
    sheet["C2"].value = '=HYPERLINK("http://example.org","clic")'
    sheet["C2"].data_type = "s"  # typed as text, as Excel stores '=... typed after a quote
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = read_workbook(upload(buffer.getvalue()), [SKILLS])
    assert (
        parsed.rows["Competenze"][0].values["name_en"] == '=HYPERLINK("http://example.org","clic")'
    )


# Parsers ------------------------------------------------------------------------------------


def test_dates_are_read_from_excel_dates_and_italian_text():
    parse = Date()
    excel_date = datetime.datetime(2026, 9, 15, 0, 0)  # noqa: DTZ001 - openpyxl's are naive
    assert parse(excel_date) == datetime.date(2026, 9, 15)
    assert parse("15/09/2026") == datetime.date(2026, 9, 15)
    assert parse("1.9.26") == datetime.date(2026, 9, 1)
    assert parse("2026-09-15") == datetime.date(2026, 9, 15)
    for wrong in ("31/02/2026", "settembre", "09/2026", 46000):
        with pytest.raises(ValidationError):
            parse(wrong)


def test_whole_numbers_keep_within_their_range():
    parse = Integer(1, 999)
    assert parse(3) == parse(3.0) == parse("3") == 3
    for wrong in (0, 1000, 2.5, "tre", True):
        with pytest.raises(ValidationError):
            parse(wrong)


def test_yes_and_no_are_read_in_the_ways_people_write_them():
    parse = YesNo()
    assert [parse(v) for v in ("sì", "Si", "SI", "x", True, 1)] == [True] * 6
    assert [parse(v) for v in ("no", "NO", False, 0)] == [False] * 4
    with pytest.raises(ValidationError):
        parse("forse")


def test_a_choice_takes_its_value_its_label_or_an_italian_word():
    parse = Choice(AtecoCode.Level, {"section": ("sezione",), "division": ("divisione",)})
    assert parse("Sezione") == parse("section") == parse("SECTION") == "section"
    assert parse("divisione") == "division"
    assert parse.options()[:2] == ["sezione", "divisione"]
    with pytest.raises(ValidationError, match="sezione, divisione"):
        parse("capitolo")


@pytest.mark.django_db
def test_a_lookup_finds_by_code_or_name_ignoring_case_and_accents():
    parse = Lookup(JobProfile.objects.all(), ("code", "name_it"), noun="profilo", hint="")
    carrellista = JobProfile.objects.get(code="carrellista")
    assert parse("carrellista") == parse(" CARRELLISTA ") == carrellista
    assert parse("addetto assemblaggio montaggio").code == "addetto-assemblaggio"
    with pytest.raises(ValidationError, match="Gruista"):
        parse("Gruista")


@pytest.mark.django_db
def test_a_list_reports_every_unknown_item_and_drops_repeats():
    parse = ListOf(Lookup(Skill.objects.all(), ("code", "name_it"), noun="competenza", hint=""))
    skills = parse("saldatura-tig; Saldatura TIG;\nconduzione-carrello")
    assert [s.code for s in skills] == ["saldatura-tig", "conduzione-carrello"]
    with pytest.raises(ValidationError) as caught:
        parse("saldatura-tig; giocoleria; cucina")
    assert "giocoleria" in caught.value.messages[0]
    assert "cucina" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_comune_is_found_by_name_or_istat_code_and_its_province_settles_homonyms():
    assert comune_find("bergamo").istat_code == "016024"
    assert comune_find("16024").istat_code == "016024"
    assert comune_find("Castro", "bg").province == "BG"
    assert comune_find("Castro", "LE").province == "LE"
    with pytest.raises(ValidationError, match="BG, LE"):
        comune_find("Castro")
    with pytest.raises(ValidationError):
        comune_find("Bergamo", "MI")
    assert ComuneName()(16024) == "016024"


@pytest.mark.django_db
def test_the_comune_cleaner_reports_under_the_comune_column():
    clean = comune_cleaner("comune", "province")
    values = {"comune": "Castro", "province": "BG"}
    clean(values)
    assert values == {"comune": comune_find("Castro", "BG")}
    with pytest.raises(ValidationError) as caught:
        clean({"comune": "Atlantide"})
    assert list(caught.value.error_dict) == ["comune"]


# All or nothing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_file_is_written_and_reported():
    report = import_skills(
        xlsx_upload({"Competenze": [SKILL_HEADERS, ["laser", "Saldatura laser", "Laser welding"]]})
    )
    assert report.ok
    assert report.created["Competenze"] == 1
    assert Skill.objects.get(code="laser").name_en == "Laser welding"


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_the_problem_is_reported():
    before = Skill.objects.count()
    file = xlsx_upload(
        {
            "Competenze": [
                SKILL_HEADERS,
                ["laser", "Saldatura laser"],
                ["codice non valido!", "Codice con spazi"],  # refused by the model (a slug)
                ["verniciatura", "Verniciatura"],
            ]
        }
    )
    report = import_skills(file)
    assert not report.ok
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("Competenze", 3, "Codice")]
    assert Skill.objects.count() == before


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_change_and_writes_nothing():
    skill = Skill.objects.get(code="saldatura-tig")
    file = xlsx_upload(
        {"Competenze": [SKILL_HEADERS, ["laser", "Laser"], ["saldatura-tig", "TIG", "TIG"]]}
    )
    report = import_skills(file, dry_run=True)
    assert report.ok
    assert (report.created["Competenze"], report.updated["Competenze"]) == (1, 1)
    assert not Skill.objects.filter(code="laser").exists()
    skill.refresh_from_db()
    assert skill.name_it == "Saldatura TIG"


# The template -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_has_a_sheet_per_spec_and_instructions_for_every_column(tmp_path):
    path = tmp_path / "modello.xlsx"
    write_template([SKILLS], path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Competenze", "Istruzioni"]
    sheet = workbook["Competenze"]
    assert [cell.value for cell in sheet[1]] == SKILL_HEADERS
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    [drop_down] = sheet.data_validations.dataValidation
    assert drop_down.formula1 == '"sì,no"'
    assert str(drop_down.sqref).startswith("D2:")
    described = {
        row[1]
        for row in workbook["Istruzioni"].iter_rows(values_only=True)
        if row[0] == "Competenze"
    }
    assert described == set(SKILL_HEADERS)


@pytest.mark.django_db
def test_the_template_passes_its_own_checks():
    buffer = io.BytesIO()
    write_template([SKILLS], buffer)
    parsed = read_workbook(upload(buffer.getvalue()), [SKILLS])
    assert parsed.errors == []
    assert parsed.rows["Competenze"] == []


def test_apps_declare_their_templates():
    assert [spec.title for spec in import_templates()["companies"]] == ["Aziende", "Fabbisogni"]


@pytest.mark.django_db
def test_the_template_command_writes_the_named_template(tmp_path):
    path = tmp_path / "aziende.xlsx"
    call_command("import_template", "companies", str(path), stdout=io.StringIO())
    assert load_workbook(path).sheetnames == ["Aziende", "Fabbisogni", "Istruzioni"]


def test_the_template_command_refuses_an_unknown_template(tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_template", "candidati", str(tmp_path / "x.xlsx"))
