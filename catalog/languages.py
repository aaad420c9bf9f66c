"""The languages a candidate may speak besides Italian: a closed list, so that what reaches a
company is a language and a level, never a sentence someone typed.

The list covers the languages of the people the programme meets (the main nationalities of
foreign residents in the province of Bergamo, and the languages of international protection)
and the common European ones. Codes are ISO 639-1 where one exists, ISO 639-3 otherwise.
`language_code` reads a language's name in Italian or English, as caseworkers and the
programme's spreadsheets write it.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from focus.text import fold


class Language(models.TextChoices):
    ALBANIAN = "sq", _("Albanian")
    AMHARIC = "am", _("Amharic")
    ARABIC = "ar", _("Arabic")
    BAMBARA = "bm", _("Bambara")
    BENGALI = "bn", _("Bengali")
    BERBER = "ber", _("Berber (Tamazight)")
    BULGARIAN = "bg", _("Bulgarian")
    CHINESE = "zh", _("Chinese")
    CROATIAN = "hr", _("Croatian")
    DARI = "prs", _("Dari")
    DUTCH = "nl", _("Dutch")
    EDO = "bin", _("Edo (Bini)")
    ENGLISH = "en", _("English")
    FARSI = "fa", _("Persian (Farsi)")
    FRENCH = "fr", _("French")
    FULA = "ff", _("Fula")
    GEORGIAN = "ka", _("Georgian")
    GERMAN = "de", _("German")
    GREEK = "el", _("Greek")
    HAUSA = "ha", _("Hausa")
    HINDI = "hi", _("Hindi")
    IGBO = "ig", _("Igbo")
    KURDISH = "ku", _("Kurdish")
    MACEDONIAN = "mk", _("Macedonian")
    MANDINKA = "mnk", _("Mandinka")
    ROMANIAN = "ro", _("Romanian")
    PASHTO = "ps", _("Pashto")
    PIDGIN = "pcm", _("Nigerian Pidgin")
    POLISH = "pl", _("Polish")
    PORTUGUESE = "pt", _("Portuguese")
    PUNJABI = "pa", _("Punjabi")
    QUECHUA = "qu", _("Quechua")
    RUSSIAN = "ru", _("Russian")
    SERBIAN = "sr", _("Serbian")
    SINHALA = "si", _("Sinhala")
    SOMALI = "so", _("Somali")
    SPANISH = "es", _("Spanish")
    SWAHILI = "sw", _("Swahili")
    TAGALOG = "tl", _("Tagalog (Filipino)")
    TAMIL = "ta", _("Tamil")
    TIGRINYA = "ti", _("Tigrinya")
    TURKISH = "tr", _("Turkish")
    TWI = "tw", _("Twi")
    UKRAINIAN = "uk", _("Ukrainian")
    URDU = "ur", _("Urdu")
    WOLOF = "wo", _("Wolof")
    YORUBA = "yo", _("Yoruba")


# Italian names (and common variants) of the languages above, and the English names that are
# not the members' own (`Language.ARABIC` is "arabic").
# fmt: off
ITALIAN_NAMES = {
    "albanese": "sq", "amarico": "am", "arabo": "ar", "bambara": "bm", "bengalese": "bn",
    "bangla": "bn", "berbero": "ber", "tamazight": "ber", "bulgaro": "bg", "cinese": "zh",
    "mandarino": "zh", "croato": "hr", "dari": "prs", "olandese": "nl", "inglese": "en",
    "persiano": "fa", "farsi": "fa", "francese": "fr", "fula": "ff", "peul": "ff",
    "pular": "ff", "bini": "bin", "georgiano": "ka", "tedesco": "de", "greco": "el", "hausa": "ha",
    "hindi": "hi", "igbo": "ig", "curdo": "ku", "macedone": "mk", "mandinka": "mnk",
    "romeno": "ro", "rumeno": "ro", "moldavo": "ro", "pashtu": "ps", "pashto": "ps",
    "pidgin": "pcm", "polacco": "pl", "portoghese": "pt", "punjabi": "pa", "panjabi": "pa",
    "quechua": "qu", "russo": "ru", "serbo": "sr", "singalese": "si", "somalo": "so",
    "spagnolo": "es", "swahili": "sw", "tagalog": "tl", "filippino": "tl", "tamil": "ta",
    "tigrino": "ti", "tigrinya": "ti", "turco": "tr", "twi": "tw", "ucraino": "uk",
    "urdu": "ur", "wolof": "wo", "yoruba": "yo",
    # English
    "persian": "fa", "filipino": "tl", "mandarin": "zh", "fulani": "ff",
    "tamazight berber": "ber", "nigerian pidgin": "pcm", "pidgin english": "pcm",
}
# fmt: on


def language_code(name: str) -> str | None:
    """The code of the language called `name` in Italian or English (case, accents and
    punctuation aside), or None when the list does not have it."""
    folded = fold(name)
    return NAMES.get(folded)


NAMES = {
    **{member.name.lower(): member.value for member in Language},
    **{member.value: member.value for member in Language},
    **ITALIAN_NAMES,
}


class ItalianLevel(models.TextChoices):
    """A level of Italian, lowest first: CEFR, then native speaker (candidates, assessments,
    courses and needs all speak of these)."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Native speaker")


# What a need may ask: a CEFR level (being a native speaker is no requirement of a job).
CefrLevel = models.TextChoices(
    "CefrLevel",
    [(level.name, (level.value, level.label)) for level in ItalianLevel if level.value != "native"],
)


# The levels as caseworkers write them: CEFR, or native speaker.
LEVELS = {
    **{f"{letter}{digit}": f"{letter.upper()}{digit}" for letter in "abc" for digit in "12"},
    "madrelingua": "native",
    "madre lingua": "native",
    "lingua madre": "native",
    "nativo": "native",
    "nativa": "native",
    "native": "native",
    "native speaker": "native",
}
_ITEM = re.compile(
    r"(?P<name>[^()]+?)[\s:\-(]*(?P<level>[abc][12]|madre ?lingua|lingua madre|nativ[oae]"
    r"(?: speaker)?)\)?\.?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[,;\n/]+")


def language_item(text: str) -> tuple[str, str] | None:
    """(code, level) of one "language level" written as people do ("francese B1", "arabo
    (madrelingua)", "English: A2"), or None when the language or the level cannot be read."""
    match = _ITEM.fullmatch(text.strip())
    if match is None:
        return None
    code = language_code(match["name"])
    level = LEVELS.get(" ".join(match["level"].lower().split()))
    return (code, level) if code and level else None


def languages_parse(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The languages of a text such as "arabo madrelingua, francese B1": (code, level) pairs,
    each language once (the first level given), and the parts that could not be read."""
    found: dict[str, str] = {}
    unread = []
    for part in _SEPARATORS.split(text or ""):
        if not part.strip():
            continue
        item = language_item(part)
        if item is None:
            unread.append(part.strip())
        else:
            found.setdefault(*item)
    return list(found.items()), unread
