"""Text helpers every part of the portal shares. Plain Python, no Django: the maintenance
scripts beside the reference data use them too."""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent, written as the
# database's unaccent writes them, so that text unaccented here and in the database agree.
_UNDECOMPOSED = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    | {"\N{LATIN SMALL LETTER DOTLESS I}": "i"}
)


def fold(text: str) -> str:
    """Lower-case ASCII words with single spaces: "Sant'Omobono  Terme" -> "sant omobono
    terme". Lookups compare folded text, so case, accents and punctuation do not matter."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def unaccented(text: str) -> str:
    """Lower case without accents, all else kept: "Müller-Łukasz" -> "muller-lukasz". How
    searches compare text: as the database's `focus_fold` writes it (search.database), so that
    "muller" finds "Müller" and an e-mail address stays one word."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    return "".join(character for character in text if not unicodedata.combining(character))
