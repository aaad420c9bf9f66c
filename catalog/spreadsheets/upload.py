"""Checking an uploaded workbook before anything parses it."""

import os
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from typing import IO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx saved with a password
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 64 * 1024  # smaller parts cannot hurt, whatever their ratio
MAX_ENTRIES = 1000


class ImportRefused(ValidationError):
    """The file as a whole cannot be imported: wrong kind, unsafe, or not laid out as the
    template. Its messages say why and what to do."""

    def __str__(self) -> str:
        return "\n".join(self.messages)


# Checking an upload -------------------------------------------------------------------------


def check_upload(file: IO[bytes]) -> None:
    """Refuse anything but a plain .xlsx workbook of reasonable size, before any XML parser
    reads it: extension, size (settings.IMPORT_MAX_BYTES), zip signature, the parts every
    workbook has, no macros, no zip bomb, no encryption, no DTD. Leaves the file at its start.
    """
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
            )
        )
    if not head.startswith(ZIP_MAGIC):
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx), whatever its name."))
    try:
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
            % {"extension": extension}
        )
    if extension != ".xlsx":
        raise ImportRefused(
            _(
                "Only Excel workbooks (.xlsx) can be imported, and “%(name)s” is not one: "
                "save it from Excel as “Excel Workbook (.xlsx)”."
            )
            % {"name": name or "?"}
        )


def _check_size(file: IO[bytes]) -> None:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, os.SEEK_END)
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s, more than the %(limit)s allowed: split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or _is_bomb(entries):
        raise ImportRefused(
            _("The workbook expands to far more data than a survey holds: it was refused.")
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ValueError("encrypted entry")  # reported as damaged or encrypted
    names = {entry.filename for entry in entries}
    if not all(part in names for part in REQUIRED_PARTS):
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx), whatever its name."))
    macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    if macros or b"macroenabled" in archive.read("[Content_Types].xml").lower():
        raise ImportRefused(
            _("Workbooks with macros are refused: save the file as “Excel Workbook (.xlsx)”.")
        )
    _scan_parts(archive, entries)


def _is_bomb(entries: Sequence[zipfile.ZipInfo]) -> bool:
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        return True
    return any(
        entry.file_size > RATIO_FLOOR_BYTES
        and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )


def _scan_parts(archive: zipfile.ZipFile, entries: Iterable[zipfile.ZipInfo]) -> None:
    """Read every part once (at most MAX_UNCOMPRESSED_BYTES: zipfile never inflates beyond
    the declared size), which verifies the checksums, and refuse a DTD: Excel never writes
    one, and without it no entity expansion or external entity can reach the XML parser."""
    for entry in entries:
        tail = b""
        with archive.open(entry) as part:
            while chunk := part.read(1 << 20):
                if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                    raise ImportRefused(
                        _("The workbook contains XML that Excel never writes: it was refused.")
                    )
                tail = chunk[-16:]


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
