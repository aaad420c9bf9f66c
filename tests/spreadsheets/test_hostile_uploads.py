"""Hostile uploads cannot hurt the server: each is refused through the real import pages with
a 4xx status and the page's Italian message, writes nothing, and is handled in little memory.

Every hostile file is made from a good workbook, the portal's own template with one row,
which the same page imports (the first test): what refuses it is what was done to it.
"""

import html
import io
import re
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.checks import run_checks
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from stdnum import luhn

import candidates.importing
import companies.importing
from catalog.uploads import UploadLimitHandler, UploadTooLarge
from focus.spreadsheets import ImportRefused, check_upload, write_template
from tests.spreadsheets.workbooks import upload, with_parts

MAX_PEAK_BYTES = 100 * 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"  # the template's first sheet: Aziende, or Candidati
STRINGS = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FONDERIE = "0000011016" + luhn.calc_check_digit("0000011016")

# The two imports: the page, who uses it, the template's sheet and a row for it, and the
# models an import writes.
IMPORTS = {
    "companies": {
        "url": "companies:import",
        "persona": "staff",
        "specs": companies.importing.SPECS,
        "sheet": "Aziende",
        "row": {
            "Ragione sociale": "Fonderie Brembane S.r.l.",
            "Partita IVA": FONDERIE,
            "Codice ATECO": "25.62.00",
            "Dimensione": "media",
            "Comune": "Dalmine",
        },
        "apps": ("accounts", "companies"),  # a company is an organisation too
    },
    "candidates": {
        "url": "candidates:import",
        "persona": "caseworker",
        "specs": candidates.importing.SPECS,
        "sheet": "Candidati",
        "row": {"Nome": "Ion", "Cognome": "Popescu", "Telefono": "347 7654321"},
        "apps": ("candidates",),
    },
}


@pytest.fixture(params=list(IMPORTS))
def page(request, login, personas):
    """`page.post(content, name)` uploads a file as the import's persona (Italian, the
    portal's default) and returns the response and the peak memory Python allocated to
    handle it; `page.workbook()` is the good workbook; `page.counts()` counts the rows of the
    models the import writes."""
    spec = IMPORTS[request.param]
    return _Page(spec, login(personas[spec["persona"]]))


class _Page:
    def __init__(self, spec, client):
        self.spec, self.client = spec, client

    def workbook(self) -> bytes:
        template = io.BytesIO()
        write_template(self.spec["specs"], template)
        workbook = load_workbook(io.BytesIO(template.getvalue()))
        sheet = workbook[self.spec["sheet"]]
        headers = [cell.value for cell in sheet[1]]
        sheet.append([self.spec["row"].get(header) for header in headers])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return as_excel_saves_it(buffer.getvalue())

    def post(self, content: bytes, name: str = "importazione.xlsx", data=(), **extra):
        fields = {"file": upload(content, name), **dict(data)}
        tracemalloc.start()
        try:
            response = self.client.post(reverse(self.spec["url"]), fields, **extra)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return response, peak

    def counts(self) -> dict[str, int]:
        return {
            model._meta.label: model._default_manager.count()
            for label in self.spec["apps"]
            for model in apps.get_app_config(label).get_models()
        }


def refused(page, content: bytes, *, name: str = "importazione.xlsx", data=(), **extra):
    """Upload `content`, check that nothing was written and that little memory was used;
    return the response."""
    before = page.counts()
    response, peak = page.post(content, name, data, **extra)
    assert page.counts() == before
    assert peak < MAX_PEAK_BYTES, f"{peak / 2**20:.0f} MB"
    return response


def imported(page, content: bytes) -> None:
    """Upload `content`, check that it was imported (the page moves on, rows were written)
    and that little memory was used."""
    before = page.counts()
    response, peak = page.post(content)
    assert response.status_code == 302
    assert page.counts() != before
    assert peak < MAX_PEAK_BYTES


def shown_error(response) -> str:
    """The error the page shows under the file field."""
    errors = response.context["form"].errors["file"]
    assert all(str(error) in html.unescape(response.text) for error in errors)
    return " ".join(errors)


# Building hostile parts ---------------------------------------------------------------------

_INLINE = re.compile(
    r'<c(?P<attributes>[^>]*?) t="inlineStr"(?P<rest>[^>]*)><is>(?P<text>.*?)</is></c>'
)


def as_excel_saves_it(content: bytes) -> bytes:
    """The workbook openpyxl wrote, with the strings of its sheets in a shared strings
    table, as Excel writes them (and openpyxl reads them)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match["text"])
        return f'<c{match["attributes"]} t="s"{match["rest"]}><v>{len(strings) - 1}</v></c>'

    parts = {
        name: _INLINE.sub(shared, source.read(name).decode()).encode()
        for name in source.namelist()
        if name.startswith("xl/worksheets/")
    }
    parts[STRINGS] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si>{text}</si>" for text in strings)
        + "</sst>"
    ).encode()
    types = source.read("[Content_Types].xml").decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    return with_parts(content, parts)


def part(content: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read(name).decode("utf-8")


def with_doctype(xml: str, doctype: str, encoding: str) -> str:
    """`xml` declared in `encoding`, with `doctype` after its declaration."""
    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
    return f'<?xml version="1.0" encoding="{encoding}"?>\n{doctype}\n{body}'


LAUGHS = (
    '<!DOCTYPE sst [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)


def laughing(content: bytes, text: str) -> str:
    """The workbook's shared strings, UTF-16, where `text` becomes a billion "lol"s."""
    strings = part(content, STRINGS)
    assert f"<t>{text}</t>" in strings
    return with_doctype(strings.replace(f"<t>{text}</t>", "<t>&lol9;</t>"), LAUGHS, "UTF-16")


def declaring_size(content: bytes, name: str, size: int) -> bytes:
    """The zip `content` with the uncompressed size of part `name` declared as `size`, in
    its local header and in the central directory."""
    data = bytearray(content)
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        (length,) = struct.unpack_from("<H", data, entry + 28)
        if data[entry + 46 : entry + 46 + length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


def inflating_beyond_its_size(content: bytes, name: str, mebibytes: int) -> bytes:
    """The workbook with part `name` followed, in its compressed data, by `mebibytes` MiB
    of blanks, while the zip still declares the part's own size."""
    source = zipfile.ZipFile(io.BytesIO(content))
    original = source.read(name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info))
        with archive.open(name, "w") as target:
            target.write(original)
            for _ in range(mebibytes):
                target.write(b" " * (1 << 20))
    return declaring_size(buffer.getvalue(), name, len(original))


# The good workbook --------------------------------------------------------------------------


def test_the_good_workbook_the_hostile_ones_are_made_from_imports(page):
    imported(page, page.workbook())


def test_a_workbook_written_in_utf_16_without_a_dtd_still_imports(page):
    content = page.workbook()
    strings = part(content, STRINGS)
    utf16 = with_doctype(strings, "", "UTF-16").encode("utf-16")
    response, _peak = page.post(with_parts(content, {STRINGS: utf16}))
    assert response.status_code == 302


# Hostile XML --------------------------------------------------------------------------------

NEVER_WRITES = "La cartella di lavoro contiene XML che Excel non scrive mai: è stata rifiutata."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_sheet_declaring_a_dtd_in_utf_16_or_32_is_refused(page, encoding):
    content = page.workbook()
    xxe = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    hostile = with_doctype(part(content, SHEET), xxe, encoding.upper()).encode(encoding)
    response = refused(page, with_parts(content, {SHEET: hostile}))
    assert response.status_code == 400
    assert NEVER_WRITES in shown_error(response)


def test_a_billion_laughs_in_utf_16_shared_strings_is_refused(page):
    content = page.workbook()
    text = next(iter(page.spec["row"].values()))
    hostile = laughing(content, text).encode("utf-16")
    response = refused(page, with_parts(content, {STRINGS: hostile}))
    assert response.status_code == 400
    assert NEVER_WRITES in shown_error(response)


@pytest.mark.parametrize(
    "declaration",
    [
        '<?xml version="1.0" encoding="UTF-7"?>',  # "<" can be written "+ADw-"
        '<?xml version="1.0" encoding="UTF-8"?>',  # but the bytes are UTF-16
    ],
    ids=["utf-7", "utf-8 declared, utf-16 written"],
)
def test_a_part_in_an_encoding_excel_never_writes_is_refused(page, declaration):
    content = page.workbook()
    strings = part(content, STRINGS)
    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", strings)
    encoding = "utf-16" if "UTF-8" in declaration else "ascii"
    hostile = (declaration + body).encode(encoding)
    response = refused(page, with_parts(content, {STRINGS: hostile}))
    assert response.status_code == 400
    assert NEVER_WRITES in shown_error(response)


def test_a_cell_longer_than_excel_allows_is_refused(page):
    content = page.workbook()
    text = next(iter(page.spec["row"].values()))
    strings = part(content, STRINGS).replace(text, "x" * 40_000)
    response = refused(page, with_parts(content, {STRINGS: strings.encode()}))
    assert response.status_code == 400
    assert "più di 32.767 caratteri" in shown_error(response)


def test_more_cell_text_than_the_limit_is_refused_as_too_large(page, settings):
    settings.IMPORT_MAX_CELL_CHARS = 100  # the template's headers alone hold more
    response = refused(page, page.workbook())
    assert response.status_code == 413
    assert "più testo di quanto il portale accetti" in shown_error(response)


# Zip bombs ----------------------------------------------------------------------------------

BOMB = "Una volta decompressa, la cartella di lavoro contiene molti più dati"


def test_a_part_inflating_far_beyond_the_size_it_declares_is_refused(page):
    bomb = inflating_beyond_its_size(page.workbook(), SHEET, mebibytes=200)
    declared = zipfile.ZipFile(io.BytesIO(bomb)).getinfo(SHEET)
    assert declared.file_size < declared.compress_size  # what the zip says is harmless
    response = refused(page, bomb)
    assert response.status_code == 400
    assert BOMB in shown_error(response)


def test_a_part_compressed_with_bzip2_is_refused_before_it_is_inflated(page):
    content = page.workbook()
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        # 200 MiB in about a kilobyte, which zipfile would inflate in one go
        picture = zipfile.ZipInfo("xl/media/image1.png")
        picture.compress_type = zipfile.ZIP_BZIP2
        with archive.open(picture, "w") as target:
            for _ in range(200):
                target.write(bytes(1 << 20))
    bomb = declaring_size(buffer.getvalue(), "xl/media/image1.png", 1024)
    response = refused(page, bomb)
    assert response.status_code == 400
    assert "danneggiata" in shown_error(response)


def test_a_zip_listing_tens_of_thousands_of_parts_is_refused_before_they_are_listed(page):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for number in range(50_000):
            archive.writestr(f"xl/media/{number}", b"")
    content = buffer.getvalue()
    assert len(content) < settings.IMPORT_MAX_BYTES
    response = refused(page, content)
    assert response.status_code == 400
    assert BOMB in shown_error(response)

    file = upload(content)
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused):
            check_upload(file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024  # zipfile takes some 28 MB to list them


def test_a_part_compressed_a_thousand_times_is_refused(page):
    content = page.workbook()
    strings = part(content, STRINGS).replace("</sst>", " " * 10**7 + "</sst>")
    response = refused(page, with_parts(content, {STRINGS: strings.encode()}))
    assert response.status_code == 400
    assert BOMB in shown_error(response)


def test_a_sheet_declaring_the_largest_size_excel_allows_imports_as_any_other(page):
    workbook = load_workbook(io.BytesIO(page.workbook()))
    # Row 1,048,576 of column XFD: the sheet declares its size as A1:XFD1048576, which would
    # make every row 16,384 cells wide, and a million rows long.
    workbook[page.spec["sheet"]]["XFD1048576"] = "in fondo"
    buffer = io.BytesIO()
    workbook.save(buffer)
    imported(page, buffer.getvalue())


# Files of the wrong kind --------------------------------------------------------------------


def test_a_macro_enabled_workbook_is_refused_as_the_wrong_kind(page):
    response = refused(page, page.workbook(), name="importazione.xlsm")
    assert response.status_code == 415
    assert "Le cartelle di lavoro con macro (.xlsm) non sono accettate" in shown_error(response)


def test_an_old_excel_file_is_refused_as_the_wrong_kind(page):
    response = refused(page, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert response.status_code == 415
    assert "Questo è un vecchio file Excel (.xls)" in shown_error(response)


def test_a_file_that_is_not_a_zip_is_refused_as_the_wrong_kind(page):
    response = refused(page, b"Nome;Cognome\nIon;Popescu\n")
    assert response.status_code == 415
    assert "Il file non è una cartella di lavoro di Excel (.xlsx)" in shown_error(response)


def test_the_form_keeps_what_the_user_chose_when_a_file_is_refused(page):
    response = refused(page, b"not a workbook", data={"dry_run": "on"})
    assert response.status_code == 415
    assert response.context["form"]["dry_run"].value() is True


# Bodies past the limit ----------------------------------------------------------------------


class _Body(io.RawIOBase):
    """A request body of `size` bytes that counts what is read of it."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.read_bytes)
        buffer[:count] = bytes(count)
        self.read_bytes += count
        return count


def test_a_body_announcing_more_than_the_limit_is_answered_413_before_it_is_read(page):
    body = _Body(60 * 1024 * 1024)
    response = refused(
        page,
        page.workbook(),
        CONTENT_LENGTH=str(body.size),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "File troppo grande" in response.text
    assert "Il portale accetta cartelle di lavoro di al massimo 5,0\xa0MB" in response.text


def test_without_the_middleware_the_upload_handler_still_refuses_the_body(page, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("catalog.")]
    settings.UPLOAD_MAX_BYTES = 4096
    response = refused(page, page.workbook())
    assert response.status_code == 400
    assert "Richiesta non valida" in response.text


def test_the_upload_handler_stops_files_growing_past_the_limit_whatever_was_announced(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = UploadLimitHandler()
    handler.handle_raw_input(None, {}, 10, b"boundary")  # the body said 10 bytes
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    with pytest.raises(UploadTooLarge):
        handler.receive_data_chunk(b"x" * 600, 600)


def test_an_upload_as_large_as_allowed_is_kept_in_memory_not_in_a_temporary_file(page):
    # 3 MB, past Django's default of 2.5 MB for keeping an upload in memory
    response = refused(page, bytes(3 * 1024 * 1024))
    assert response.status_code == 415
    assert isinstance(response.context["form"].files["file"], InMemoryUploadedFile)


# Without a hardened XML parser --------------------------------------------------------------


def test_imports_are_refused_when_openpyxl_would_expand_entities(page, monkeypatch):
    from xml.etree import ElementTree  # the parser the portal must not use

    monkeypatch.setattr("openpyxl.reader.strings.iterparse", ElementTree.iterparse)
    errors = [error.id for error in run_checks()]
    assert "catalog.E001" in errors
    response = refused(page, page.workbook())
    assert response.status_code == 503
    assert "Le importazioni sono disattivate" in shown_error(response)


def test_the_portal_does_not_start_when_openpyxl_would_not_use_defusedxml():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(settings.BASE_DIR),
        env={"OPENPYXL_DEFUSEDXML": "False", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "catalog.E001" in result.stderr
