"""What an uploaded file is, read from its first bytes and never from its name, and the name
the portal keeps of it.

Four kinds of file are taken, by their signatures: PDF (`%PDF-`), PNG, JPEG and WebP (a RIFF
container whose form is `WEBP`). Anything else (a program, an archive, an office file, a PDF
whose name says JPEG...) is not what its name says it is, and is refused. A few lines of our own
rather than a library: four signatures need no database of thousands, nor libmagic on every
machine the portal runs on.
"""

import re
import unicodedata

# The content types taken, with the extension a download of each is named with.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}
HEAD_BYTES = 16  # enough for every signature below

# The first bytes of a program, to say so when one is refused.
PROGRAMS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")

NAME_MAX_CHARS = 200
# Characters a file name loses: path separators and what no file system or header takes.
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')


def content_type_of(head: bytes) -> str | None:
    """The content type that the file starting with `head` has, one of EXTENSIONS; None for
    any other file."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def is_program(head: bytes) -> bool:
    return head.startswith(PROGRAMS)


def name_clean(name: str) -> str:
    """The name of an uploaded file as the portal keeps it, for people to recognise the file
    by: the last part of any path, without control characters, path separators or the
    characters file systems refuse, its spaces collapsed, at most NAME_MAX_CHARS long (its
    extension kept). "document" when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    if len(name) > NAME_MAX_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_MAX_CHARS - len(extension) - 1] + "." + extension
        else:
            name = name[:NAME_MAX_CHARS]
    return name or "document"


def download_name(name: str, content_type: str) -> str:
    """`name` with the extension of what the file is: a PDF uploaded as "cv.exe" downloads as
    "cv.pdf", so that no computer opens it as what its name said."""
    stem, dot, _extension = name.rpartition(".")
    return (stem if dot and stem else name) + EXTENSIONS[content_type]
