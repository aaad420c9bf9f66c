"""Text helpers every part of the portal shares. Plain Python, no Django: the maintenance
scripts beside the reference data use them too."""

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII words with single spaces: "Sant'Omobono  Terme" -> "sant omobono
    terme". Lookups compare folded text, so case, accents and punctuation do not matter."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()
