"""Reading cells: the parsers a column uses, and finding rows of a queryset by name.

A parser is a callable: it receives a non-blank cell (text already stripped) and returns the
Python value or raises ValidationError. The parsers here also `describe()` the format for the
instructions sheet, may offer `options()` for a drop-down list in the template, and name the
`number_format` of their column there; `empty` is the value of a blank cell.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from focus.text import fold


def as_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates as dd/mm/yyyy."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def cell_value(value: Any) -> Any:
    """None for a blank cell, stripped text, or the value openpyxl read."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# A per-read memo, so that lookups load each catalogue table once per file and never serve a
# stale copy to the next file.
_memo: ContextVar[dict | None] = ContextVar("spreadsheet_memo", default=None)


@contextmanager
def one_read():
    """Within it, lookups load each table at most once."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(owner: object, load: Callable[[], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return load()
    if owner not in memo:
        memo[owner] = load()
    return memo[owner]


@dataclass(frozen=True, eq=False)
class Text:
    max_length: int
    normalise: Callable[[str], str] | None = None
    validators: tuple[Callable[[str], None], ...] = ()
    empty = ""
    number_format = "@"

    def __call__(self, value: Any) -> str:
        text = as_text(value)
        if self.normalise is not None:
            text = self.normalise(text)
        if len(text) > self.max_length:
            raise ValidationError(
                _("Too long: %(length)d characters, at most %(max)d.")
                % {"length": len(text), "max": self.max_length}
            )
        for validator in self.validators:
            validator(text)
        return text

    def describe(self) -> str:
        return _("Text, up to %(max)d characters.") % {"max": self.max_length}


@dataclass(frozen=True, eq=False)
class Email(Text):
    max_length: int = 254
    validators: tuple[Callable[[str], None], ...] = (validate_email,)

    def describe(self) -> str:
        return _("An e-mail address, e.g. mario.rossi@example.it.")


@dataclass(frozen=True, eq=False)
class Integer:
    min_value: int
    max_value: int
    empty = None
    number_format = "0"

    def __call__(self, value: Any) -> int:
        number = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = int(value) if float(value).is_integer() else None
        elif re.fullmatch(r"[+-]?\d+", as_text(value)):
            number = int(as_text(value))
        if number is None:
            raise ValidationError(
                _("“%(value)s” is not a whole number.") % {"value": as_text(value)}
            )
        if not self.min_value <= number <= self.max_value:
            raise ValidationError(
                _("%(value)d is out of range: from %(min)d to %(max)d.")
                % {"value": number, "min": self.min_value, "max": self.max_value}
            )
        return number

    def describe(self) -> str:
        return _("A whole number from %(min)d to %(max)d.") % {
            "min": self.min_value,
            "max": self.max_value,
        }


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")


@dataclass(frozen=True, eq=False)
class Date:
    empty = None
    number_format = "DD/MM/YYYY"

    def __call__(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = as_text(value)
        match = _DAY_MONTH_YEAR.fullmatch(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                return datetime.date(year + 2000 if year < 100 else year, month, day)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        raise ValidationError(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 15/09/2026.")
            % {"value": text}
        )

    def describe(self) -> str:
        return _("A date: an Excel date or dd/mm/yyyy, e.g. 15/09/2026.")


_YES = {"si", "s", "yes", "y", "x", "1", "vero", "true"}
_NO = {"no", "n", "0", "falso", "false"}


@dataclass(frozen=True, eq=False)
class YesNo:
    empty = False
    number_format = None

    def __call__(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        word = fold(as_text(value))
        if word in _YES or word in _NO:
            return word in _YES
        raise ValidationError(_("“%(value)s”: write sì or no.") % {"value": as_text(value)})

    def describe(self) -> str:
        return _("sì or no (empty means no).")

    def options(self) -> list[str]:
        return ["sì", "no"]


@dataclass(frozen=True, eq=False)
class Choice:
    """One of a TextChoices: its value, its label in Italian or English, or one of the
    `words` given for it (the first is the one the template offers)."""

    choices: type[models.TextChoices]
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    empty = ""
    number_format = None

    def __call__(self, value: Any) -> str:
        found = self._index().get(fold(as_text(value)))
        if found is None:
            raise ValidationError(
                _("“%(value)s” is not one of the allowed values: %(options)s.")
                % {"value": as_text(value), "options": ", ".join(self.options())}
            )
        return found

    def _index(self) -> dict[str, str]:
        def load() -> dict[str, str]:
            index = {}
            for value, label in self.choices.choices:
                names = [value, *self.words.get(value, ())]
                for language in ("it", "en"):
                    with translation.override(language):
                        names.append(str(label))
                index.update({fold(name): value for name in names})
            return index

        return memoised(self, load)

    def options(self) -> list[str]:
        return [self.words.get(value, (value,))[0] for value in self.choices.values]

    def describe(self) -> str:
        return _("One of: %(options)s.") % {"options": ", ".join(self.options())}


@dataclass(frozen=True, eq=False)
class Lookup:
    """A row of `queryset` found by any of `fields` (case, accents and punctuation ignored).

    `shown` is the field offered in the template's lists; `hint` says what to write."""

    queryset: models.QuerySet
    fields: tuple[str, ...]
    noun: str
    hint: str
    shown: str = ""
    empty = None
    number_format = "@"
    MAX_OPTIONS = 50

    def __call__(self, value: Any) -> models.Model:
        text = as_text(value)
        matches = self._index().get(fold(text), [])
        if not matches:
            raise ValidationError(
                _("“%(value)s” is not a known %(noun)s.") % {"value": text, "noun": self.noun}
            )
        if len(matches) > 1:
            raise ValidationError(
                _("“%(value)s” matches more than one %(noun)s: write its code.")
                % {"value": text, "noun": self.noun}
            )
        return matches[0]

    def _index(self) -> dict[str, list[models.Model]]:
        def load() -> dict[str, list[models.Model]]:
            index = defaultdict(list)
            for obj in self.queryset.all():
                for name in self.fields:
                    key = fold(str(getattr(obj, name)))
                    if key and obj not in index[key]:
                        index[key].append(obj)
            return index

        return memoised(self, load)

    def options(self) -> list[str]:
        shown = self.shown or self.fields[0]
        values = list(self.queryset.values_list(shown, flat=True)[: self.MAX_OPTIONS + 1])
        return values if len(values) <= self.MAX_OPTIONS else []

    def describe(self) -> str:
        options = self.options()
        if not options:
            return str(self.hint)
        return f"{self.hint}. " + _("Now: %(options)s.") % {"options": "; ".join(options)}


@dataclass(frozen=True, eq=False)
class ListOf:
    """Several values in one cell, separated by semicolons or line breaks."""

    item: Callable[[Any], Any]
    empty = ()
    number_format = "@"

    def __call__(self, value: Any) -> list:
        parsed, problems = [], []
        for part in re.split(r"[;\n]", as_text(value)):
            if not part.strip():
                continue
            try:
                item = self.item(part.strip())
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            if item not in parsed:
                parsed.append(item)
        if problems:
            raise ValidationError(" ".join(problems))
        return parsed

    def describe(self) -> str:
        item = getattr(self.item, "describe", lambda: "")()
        return _("One or more, separated by a semicolon (;).") + (f" {item}" if item else "")
