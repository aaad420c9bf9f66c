"""What the parts of a workbook may hold, examined before openpyxl parses any of them.

A DTD is what entity expansion ("billion laughs") and external entities need, and Excel never
writes one, so no part may declare one, in whatever encoding it is written: a part is decoded
as an XML parser would decode it (its byte-order mark, its first bytes, its declaration), not
searched as raw bytes, which a part written in UTF-16 passes. Excel writes UTF-8; the
encodings an XML parser must also read (UTF-16, UTF-32) and the usual single-byte ones are
examined, any other is refused.

Then each XML part is read by expat, refusing a DTD once more, to measure the text of its
cells: openpyxl keeps every shared string in memory, so their number and length are bounded.

openpyxl parses with defusedxml when it is installed, which refuses entity declarations as
well; `unsafe_xml_parsers` tells whether it does (a system check, and every import, ask).
"""

import codecs
import importlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.parsers import expat  # reads no DTD: any declaration is refused below

import openpyxl

EXCEL_CELL_MAX_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_STRINGS = 500_000  # shared and inline strings: 5000 rows of a hundred columns

HEAD_BYTES = 4096  # where the declaration is, if there is one


class PartRefused(Exception):
    """A part cannot be handed to an XML parser. `reason` is one of the constants below."""

    DTD = "dtd"  # declares a DTD or an entity
    ENCODING = "encoding"  # an encoding Excel never writes, or one its bytes contradict
    MALFORMED = "malformed"  # not text in its encoding, or a declaration left open
    LONG_CELL = "long cell"  # a cell longer than Excel allows
    TOO_MUCH_TEXT = "too much text"  # more cell text, or more strings, than the budget

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class TextBudget:
    """The text of a workbook's cells, counted across its parts."""

    max_chars: int
    chars: int = 0
    strings: int = 0


def examine_part(chunks: Iterable[bytes], budget: TextBudget, *, words=()) -> set[str]:
    """Read one part's bytes, as they come out of the zip, and raise PartRefused if it
    declares a DTD or an entity, is written in an unexpected encoding or is not text in its
    own, or brings the cells' text past `budget`. Returns those of `words` (lower-case
    ASCII) that its text contains, whatever their case."""
    chunks = iter(chunks)
    head = next(chunks, b"")
    codec, is_xml = _encoding(head)
    scanner = _Scanner(codec, words)
    counter = _CellText(budget) if is_xml else None
    scanner.feed(head)
    if counter:
        counter.feed(head)
    for chunk in chunks:
        scanner.feed(chunk)
        if counter:
            counter.feed(chunk)
    scanner.feed(b"", final=True)
    if counter:
        counter.feed(b"", final=True)
    return scanner.found & set(words)


# Encodings ----------------------------------------------------------------------------------

# Byte-order marks, longest first: UTF-32 LE's begins with UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<" or "<?" without a byte-order mark (XML 1.0, appendix F).
_FIRST_BYTES = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_EBCDIC = b"\x4c\x6f\xa7\x94"  # "<?xm"
# The names a part may declare for each way of writing it, folded (see _codec_key). Single-byte
# encodings and UTF-8 write every ASCII character as that one byte, and never that byte as
# part of another character: their markup is searched as bytes.
_DECLARABLE = {
    None: {"utf8", "ascii", "usascii", "iso88591", "latin1", "cp1252", "windows1252", "iso885915"},
    "utf-8": {"utf8"},
    "utf-16-le": {"utf16", "utf16le"},
    "utf-16-be": {"utf16", "utf16be"},
    "utf-32-le": {"utf32", "utf32le"},
    "utf-32-be": {"utf32", "utf32be"},
}
_DECLARATION_END = "?>"
_ENCODING = re.compile(r"""\sencoding\s*=\s*(["'])(.*?)\1""", re.DOTALL)


def _encoding(head: bytes) -> tuple[str | None, bool]:
    """(the codec the part's text is decoded with, None when its markup is plain ASCII
    bytes; whether it is XML at all, rather than a picture or a printer's settings)."""
    head = head[:HEAD_BYTES]
    for prefix, codec in (*_BOMS, *_FIRST_BYTES):
        if head.startswith(prefix):
            text = head.decode(codec, errors="replace").lstrip("\ufeff")
            _check_declared(codec, text)
            return (None if codec == "utf-8" else codec), True
    if head.startswith(_EBCDIC):
        raise PartRefused(PartRefused.ENCODING)
    if not head.lstrip(b" \t\r\n").startswith(b"<"):
        return None, False
    _check_declared(None, head.decode("latin-1"))
    return None, True


def _check_declared(codec: str | None, text: str) -> None:
    if not text.startswith("<?xml"):
        return
    end = text.find(_DECLARATION_END)
    if end == -1:
        raise PartRefused(PartRefused.MALFORMED)
    declared = _ENCODING.search(text[:end])
    if declared and _codec_key(declared[2]) not in _DECLARABLE[codec]:
        raise PartRefused(PartRefused.ENCODING)


def _codec_key(name: str) -> str:
    """An encoding's name as `_DECLARABLE` holds it. Not `fold`: an accented letter must not
    turn into the ASCII one, so "ütf-8" is no declaration of UTF-8."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


# Looking for a DTD --------------------------------------------------------------------------

_DTD_MARKERS = ("<!doctype", "<!entity")


class _Scanner:
    """Finds markers in the decoded text, whatever their case and wherever chunks split it."""

    def __init__(self, codec: str | None, words: Iterable[str]):
        self.decoder = codecs.getincrementaldecoder(codec)("strict") if codec else None
        self.markers = (*_DTD_MARKERS, *words)
        self.overlap = max(len(marker) for marker in self.markers) - 1
        self.tail = ""
        self.found: set[str] = set()

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        try:
            text = self.decoder.decode(chunk, final) if self.decoder else chunk.decode("latin-1")
        except UnicodeDecodeError:
            raise PartRefused(PartRefused.MALFORMED) from None
        window = self.tail + text.lower()
        self.found.update(marker for marker in self.markers if marker in window)
        if self.found.intersection(_DTD_MARKERS):
            raise PartRefused(PartRefused.DTD)
        self.tail = window[-self.overlap :]


# Measuring the cells' text ------------------------------------------------------------------

_STRINGS = {"si", "is"}  # a shared string, an inline string
_UNITS = {"si", "c"}  # what one cell's text is counted in: a shared string, or a cell
_TEXTS = {"t", "v"}  # the elements holding it: a text run, a value


class _CellText:
    """Counts the characters of the `t` and `v` elements of a part, per cell and in all,
    with expat, as openpyxl's iterparse reads them; refuses a DTD before anything could be
    declared in it."""

    def __init__(self, budget: TextBudget):
        self.budget = budget
        self.units = 0  # depth within a shared string or a cell
        self.texts = 0  # depth within a t or v element
        self.cell = 0  # characters of the current cell
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._refuse_dtd
        self.parser.EntityDeclHandler = self._refuse_dtd
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if self.parser is None:
            return
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            # Not XML to expat: openpyxl's parsers refuse it too, or never read it as cells
            # (Excel's VML drawings are not always well-formed). Its DTD was looked for.
            self.parser = None

    def _refuse_dtd(self, *args) -> None:
        raise PartRefused(PartRefused.DTD)

    def _start(self, name: str, attributes: dict) -> None:
        local = name.rpartition(":")[2]
        if local in _STRINGS:
            self.budget.strings += 1
            if self.budget.strings > MAX_STRINGS:
                raise PartRefused(PartRefused.TOO_MUCH_TEXT)
        if local in _UNITS:
            if not self.units:
                self.cell = 0
            self.units += 1
        elif local in _TEXTS:
            if not self.units and not self.texts:
                self.cell = 0  # text outside any cell (a comment, a chart) counts on its own
            self.texts += 1

    def _end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local in _UNITS:
            self.units -= 1
        elif local in _TEXTS:
            self.texts -= 1

    def _text(self, data: str) -> None:
        if not self.texts:
            return
        self.cell += len(data)
        self.budget.chars += len(data)
        if self.cell > EXCEL_CELL_MAX_CHARS:
            raise PartRefused(PartRefused.LONG_CELL)
        if self.budget.chars > self.budget.max_chars:
            raise PartRefused(PartRefused.TOO_MUCH_TEXT)


# The parsers openpyxl reads parts with ----------------------------------------------------

_OPENPYXL_PARSERS = (
    ("openpyxl.reader.excel", "fromstring"),
    ("openpyxl.reader.workbook", "fromstring"),
    ("openpyxl.packaging.manifest", "fromstring"),
    ("openpyxl.styles.stylesheet", "fromstring"),
    ("openpyxl.reader.drawings", "fromstring"),
    ("openpyxl.reader.strings", "iterparse"),
    ("openpyxl.worksheet._reader", "iterparse"),
)
_ENTITY_PROBE = b'<!DOCTYPE p [<!ENTITY e "expanded">]><p>&e;</p>'


def unsafe_xml_parsers() -> list[str]:
    """The parsers openpyxl would read an upload with that expand an entity a document
    declares; none when defusedxml is installed (openpyxl.DEFUSEDXML) and lxml, if openpyxl
    uses it, keeps entities unresolved. Each is tried on a document declaring one."""
    unsafe = [] if openpyxl.DEFUSEDXML else ["openpyxl.DEFUSEDXML"]
    for module, name in _OPENPYXL_PARSERS:
        parse = getattr(importlib.import_module(module), name)
        try:
            if name == "iterparse":
                texts = [element.text for _event, element in parse(io.BytesIO(_ENTITY_PROBE))]
            else:
                texts = list(parse(_ENTITY_PROBE).itertext())
        except (ValueError, SyntaxError):  # refused: defusedxml raises a ValueError
            continue
        if "expanded" in texts:
            unsafe.append(f"{module}.{name}")
    return unsafe
