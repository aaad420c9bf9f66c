"""How long something lasted, as every page and sentence writes it: "6 mesi", "1 anno",
"5,5 anni" (the decimal comma of the active language; months below a year)."""

import math
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import ngettext


def years_text(years: float | Decimal) -> str:
    years = float(years)
    if years < 1:
        months = max(1, round(years * 12))
        return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    whole = years.is_integer()
    shown = number_format(years, decimal_pos=0 if whole else 1)
    return ngettext("%(n)s year", "%(n)s years", math.ceil(years)) % {"n": shown}
