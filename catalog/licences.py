"""Driving licences as the law has them: categories (Codice della strada, art. 116) and the
professional qualifications people list with them. A need asks for one category; a
candidate holds a list, kept as "B, C". Who holds a category is written here once, for the
intake form, the import and the ranking.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

LICENCES = (
    "AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE",
    "CQC", "KA", "KB",
)  # fmt: skip

# The categories a need may ask for, and the ones that satisfy each. C1, C, D1 and D are
# issued only to holders of B, so they include it; a moped (AM) or motorbike licence (A1,
# A2, A) does not. CQC, the drivers' professional qualification, is its own line.
NEEDED = ("B", "BE", "C1", "C", "CE", "D", "CQC")
SATISFIES = {
    "B": {"B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"},
    "BE": {"BE", "C1E", "CE", "D1E", "DE"},
    "C1": {"C1", "C1E", "C", "CE"},
    "C": {"C", "CE"},
    "CE": {"CE"},
    "D": {"D", "DE"},
    "CQC": {"CQC"},
}
# The categories of a motorbike or moped: a way to work as a car is.
TWO_WHEELS = {"AM", "A1", "A2", "A"}


def licences_parse(value: str) -> str:
    """The categories in `value` (separated by commas, spaces, semicolons or slashes, any
    case, "patente" ignored) as "B, C"; a ValidationError names the words that are not."""
    words = re.split(r"[\s,;/]+", str(value).upper())
    found = [word for word in words if word and word != "PATENTE"]
    unknown = [word for word in found if word not in LICENCES]
    if unknown:
        raise ValidationError(
            _("“%(value)s” is not a licence category: write them as %(options)s.")
            % {"value": ", ".join(unknown), "options": ", ".join(LICENCES)},
            code="licence",
        )
    return ", ".join(dict.fromkeys(found))


def licences_of(value: str) -> set[str]:
    return {word for word in value.split(", ") if word}


def satisfies(held: str, needed: str) -> bool:
    return bool(licences_of(held) & SATISFIES.get(needed, {needed}))


def _holds(category: str, field: str = "driving_licences") -> Q:
    """The rows whose stored "B, C" list holds `category`."""
    return (
        Q(**{field: category})
        | Q(**{f"{field}__startswith": f"{category}, "})
        | Q(**{f"{field}__endswith": f", {category}"})
        | Q(**{f"{field}__contains": f", {category}, "})
    )


def holding(needed: str, field: str = "driving_licences") -> Q:
    """The candidates whose licences satisfy the category `needed`."""
    condition = Q(pk__in=[])
    for category in sorted(SATISFIES.get(needed, {needed})):
        condition |= _holds(category, field)
    return condition
