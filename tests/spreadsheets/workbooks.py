"""Workbooks and not-quite-workbooks for the import tests, built in memory, and what those
tests read of an import's report or hand to its command."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

MINIMAL_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
}


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A real workbook: one sheet per item, each row a list of cell values."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def located(report) -> list[tuple[str, int, str]]:
    """Where the report's problems are: sheet, row and column of each."""
    return [(error.sheet, error.row, error.column) for error in report.errors]


def save(file, tmp_path) -> str:
    """The upload `file` written in `tmp_path`, for an import command: its path."""
    path = tmp_path / file.name
    path.write_bytes(file.read())
    return str(path)


def upload(content: bytes, name: str = "rilevazione.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_upload(sheets: dict[str, list[list]], name: str = "rilevazione.xlsx"):
    return upload(xlsx_bytes(sheets), name)


def zip_bytes(parts: dict[str, bytes], big: dict[str, int] | None = None) -> bytes:
    """A zip of `parts`, plus `big` parts of that many MiB of zeros (a zip bomb's payload)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        for name, mebibytes in (big or {}).items():
            with archive.open(name, "w") as part:
                for _ in range(mebibytes):
                    part.write(bytes(1 << 20))
    return buffer.getvalue()


def with_parts(content: bytes, parts: dict[str, bytes]) -> bytes:
    """A copy of the workbook `content` with `parts` added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename not in parts:
                archive.writestr(info.filename, source.read(info))
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted(content: bytes) -> bytes:
    """The zip `content` with every entry flagged as encrypted in its central directory."""
    data = bytearray(content)
    start = data.find(b"PK\x01\x02")
    while start != -1:
        data[start + 8] |= 0x1
        start = data.find(b"PK\x01\x02", start + 4)
    return bytes(data)


def garbled(content: bytes) -> bytes:
    """The zip `content` with the middle of its compressed data overwritten."""
    data = bytearray(content)
    middle = len(data) // 3
    data[middle : middle + 64] = bytes(64)
    return bytes(data)


def refused_uploads(sheet: str, headers: list[str], unknown: str) -> dict[str, tuple]:
    """What every import page refuses, built for its sheet `sheet` with `headers` (the first
    one required) and a header `unknown` it does not know: by kind, a function building the
    upload, words of the page's message, and the status it answers with."""
    return {
        "not a workbook": (
            lambda: upload(";".join(headers).encode() + b"\n", "elenco.csv"),
            "Only Excel workbooks",
            415,
        ),
        "macro-enabled": (
            lambda: upload(with_parts(xlsx_bytes({sheet: [headers]}), {"xl/vbaProject.bin": b"x"})),
            "macros",
            415,
        ),
        "unknown headers": (
            lambda: xlsx_upload({sheet: [[*headers, unknown]]}),
            f"unknown columns “{unknown}”",
            400,
        ),
        "missing required headers": (
            lambda: xlsx_upload({sheet: [headers[1:]]}),
            f"required columns missing: “{headers[0]}”",
            400,
        ),
    }
