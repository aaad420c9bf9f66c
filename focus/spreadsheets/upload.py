"""Checking an uploaded workbook before anything parses it."""

import copy
import os
import struct
import uuid
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from http import HTTPStatus
from typing import IO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focus.spreadsheets.xmlparts import (
    EXCEL_CELL_MAX_CHARS,
    PartRefused,
    TextBudget,
    examine_part,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx saved with a password
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
CONTENT_TYPES = "[Content_Types].xml"
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 64 * 1024  # smaller parts cannot hurt, whatever their ratio
MAX_ENTRIES = 1000
MAX_ENTRY_BYTES = 512  # of the central directory for one entry, on average: 46 and its name
END_RECORD = b"PK\x05\x06"
END_RECORD_MAX_BYTES = 22 + 0xFFFF  # the record and the longest comment
ZIP64_LOCATOR = b"PK\x06\x07"
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
CHUNK_BYTES = 256 * 1024


class ImportRefused(ValidationError):
    """The file as a whole cannot be imported: wrong kind, unsafe, or not laid out as the
    template. Its messages say why and what to do; `status` is what a page answers with it:
    WRONG_KIND for what is not a plain .xlsx workbook, TOO_LARGE for what is too big to be
    imported at once, DAMAGED (the default) for a damaged or hostile workbook or one that does
    not follow the template, UNAVAILABLE when the portal cannot read workbooks safely."""

    WRONG_KIND = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    TOO_LARGE = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    DAMAGED = HTTPStatus.BAD_REQUEST
    UNAVAILABLE = HTTPStatus.SERVICE_UNAVAILABLE

    def __init__(self, message, code=None, params=None, *, status: int = DAMAGED):
        super().__init__(message, code, params)
        self.status = status

    def __str__(self) -> str:
        return "\n".join(self.messages)


# Checking an upload -------------------------------------------------------------------------


def check_upload(file: IO[bytes]) -> None:
    """Refuse anything but a plain .xlsx workbook of reasonable size, before any XML parser
    reads it: extension, size (settings.IMPORT_MAX_BYTES), zip signature, the parts every
    workbook has, no macros, no encryption. Then every part is inflated, as far as it really
    goes and never past the limits whatever the zip declares, to refuse a zip bomb (in all at
    most MAX_UNCOMPRESSED_BYTES, no part more than MAX_COMPRESSION_RATIO times its compressed
    size), a DTD in whatever encoding, and more text in the cells than
    settings.IMPORT_MAX_CELL_CHARS (see `xmlparts`). Leaves the file at its start."""
    _check_name(os.path.basename(getattr(file, "name", "") or ""))
    _check_size(file)
    file.seek(0)
    head = file.read(len(OLE_MAGIC))
    file.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ImportRefused(
            _(
                "This is an old Excel file (.xls) or a workbook protected by a password: open it "
                "in Excel and save it as “Excel Workbook (.xlsx)” without a password."
            ),
            status=ImportRefused.WRONG_KIND,
        )
    if not head.startswith(ZIP_MAGIC):
        raise _not_a_workbook()
    try:
        _check_directory_size(file)
        with zipfile.ZipFile(file) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        raise ImportRefused(
            _(
                "The workbook is damaged or encrypted and cannot be read: open it in Excel and "
                "save it again as .xlsx."
            )
        ) from None
    finally:
        file.seek(0)


def _check_name(name: str) -> None:
    extension = os.path.splitext(name)[1].lower()
    if extension in {".xlsm", ".xltm", ".xlsb"}:
        raise ImportRefused(
            _(
                "Workbooks with macros (%(extension)s) are refused: save the file as “Excel "
                "Workbook (.xlsx)”."
            )
            % {"extension": extension},
            status=ImportRefused.WRONG_KIND,
        )
    if extension != ".xlsx":
        raise ImportRefused(
            _(
                "Only Excel workbooks (.xlsx) can be imported, and “%(name)s” is not one: "
                "save it from Excel as “Excel Workbook (.xlsx)”."
            )
            % {"name": name or "?"},
            status=ImportRefused.WRONG_KIND,
        )


def _check_size(file: IO[bytes]) -> None:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, os.SEEK_END)
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s, more than the %(limit)s allowed: split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
            status=ImportRefused.TOO_LARGE,
        )


def _not_a_workbook() -> ImportRefused:
    return ImportRefused(
        _("The file is not an Excel workbook (.xlsx), whatever its name."),
        status=ImportRefused.WRONG_KIND,
    )


def _macros_refused() -> ImportRefused:
    return ImportRefused(
        _("Workbooks with macros are refused: save the file as “Excel Workbook (.xlsx)”."),
        status=ImportRefused.WRONG_KIND,
    )


def _bomb() -> ImportRefused:
    return ImportRefused(
        _("The workbook expands to far more data than a survey holds: it was refused.")
    )


def _check_directory_size(file: IO[bytes]) -> None:
    """Refuse a zip listing more than MAX_ENTRIES parts before zipfile reads the list: it
    keeps an object for every entry. The end record, which zipfile reads too, says how many
    entries there are and how many bytes list them; Excel never writes a zip64 one."""
    size = file.seek(0, os.SEEK_END)
    file.seek(max(0, size - END_RECORD_MAX_BYTES))
    tail = file.read()
    at = tail.rfind(END_RECORD)
    if at == -1 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end record")
    entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    if tail[max(0, at - 20) : at].startswith(ZIP64_LOCATOR):
        raise zipfile.BadZipFile("zip64")
    if entries > MAX_ENTRIES or directory_bytes > MAX_ENTRIES * MAX_ENTRY_BYTES:
        raise _bomb()


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or _declares_too_much(entries):
        raise _bomb()
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ValueError("encrypted entry")  # reported as damaged or encrypted
    if any(entry.compress_type not in COMPRESSIONS for entry in entries):
        # Excel never writes the others, and zipfile inflates those without any limit.
        raise ValueError("compression")
    names = {entry.filename for entry in entries}
    if not all(part in names for part in REQUIRED_PARTS):
        raise _not_a_workbook()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _macros_refused()
    _examine_parts(archive, entries)


def _declares_too_much(entries: Sequence[zipfile.ZipInfo]) -> bool:
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        return True
    return any(_too_compressed(entry.file_size, entry) for entry in entries)


def _too_compressed(size: int, entry: zipfile.ZipInfo) -> bool:
    return size > RATIO_FLOOR_BYTES and size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)


def _examine_parts(archive: zipfile.ZipFile, entries: Sequence[zipfile.ZipInfo]) -> None:
    """Inflate every part once, which verifies its checksum too, and examine its text."""
    budget = TextBudget(max_chars=settings.IMPORT_MAX_CELL_CHARS)
    left = MAX_UNCOMPRESSED_BYTES
    for entry in entries:
        inflated = _Inflated(archive, entry, cap=left)
        words = ("macroenabled",) if entry.filename == CONTENT_TYPES else ()
        try:
            found = examine_part(inflated, budget, words=words)
        except PartRefused as refused:
            raise _part_refused(refused.reason) from None
        if inflated.size != entry.file_size:
            raise _bomb() if inflated.size > entry.file_size else ValueError("size")
        if found:
            raise _macros_refused()
        left -= inflated.size


class _Inflated:
    """The bytes a part really inflates to, whatever size the zip declares for it, in chunks:
    more than `cap` in all, or more than MAX_COMPRESSION_RATIO times its compressed size, is
    refused as soon as it is reached. `size` is how much came out."""

    def __init__(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, cap: int):
        self.archive, self.entry, self.cap = archive, entry, cap
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        # zipfile stops at the declared size: a copy declaring one byte past the cap reads
        # what the compressed data really holds, up to that.
        uncapped = copy.copy(self.entry)
        uncapped.file_size = self.cap + 1
        with self.archive.open(uncapped) as part:
            while chunk := part.read(CHUNK_BYTES):
                self.size += len(chunk)
                if self.size > self.cap or _too_compressed(self.size, self.entry):
                    raise _bomb()
                yield chunk


def _part_refused(reason: str) -> ImportRefused:
    if reason == PartRefused.MALFORMED:
        return ImportRefused(
            _(
                "The workbook is damaged or encrypted and cannot be read: open it in Excel and "
                "save it again as .xlsx."
            )
        )
    if reason == PartRefused.LONG_CELL:
        return ImportRefused(
            _(
                "A cell of the workbook holds more than %(max)s characters, more than Excel "
                "allows: the file was refused."
            )
            % {"max": number_format(EXCEL_CELL_MAX_CHARS, force_grouping=True)}
        )
    if reason == PartRefused.TOO_MUCH_TEXT:
        return ImportRefused(
            _(
                "The workbook holds more text than the portal takes in one import: split it "
                "into smaller files."
            ),
            status=ImportRefused.TOO_LARGE,
        )
    return ImportRefused(_("The workbook contains XML that Excel never writes: it was refused."))


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only"),
        required=False,
        help_text=gettext_lazy("Report the problems and what would change, importing nothing."),
    )
    # One upload's key: the same form sent twice starts one background import (imports).
    upload_key = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=lambda: uuid.uuid4().hex
    )
