"""Cells of the programme's spreadsheets that name a comune of the catalogue: read as a name
(accents, case and punctuation ignored) or an ISTAT code, narrowed by a province."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog.models import Comune
from focus.spreadsheets.cells import Text, memoised
from focus.text import fold


@dataclass(frozen=True, eq=False)
class ComuneName(Text):
    """A comune's name or ISTAT code, resolved by `comune_cleaner` (which may need the
    province from another column)."""

    max_length: int = 120

    def __call__(self, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:06d}"  # an ISTAT code that Excel took for a number
        return super().__call__(value)

    def describe(self) -> str:
        return _("The name of an Italian comune (or its ISTAT code), e.g. Bergamo.")


def _comuni_index() -> tuple[dict[str, Comune], dict[str, list[Comune]]]:
    def load():
        by_code, by_name = {}, defaultdict(list)
        for comune in Comune.objects.only("pk", "istat_code", "name", "province"):
            by_code[comune.istat_code] = comune
            for name in {comune.name, *comune.name.split("/")}:
                by_name[fold(name)].append(comune)
        return by_code, by_name

    return memoised(Comune, load)


def comune_find(text: str, province: str = "") -> Comune:
    """The comune called `text` (or with that ISTAT code), in `province` (sigla) if given."""
    by_code, by_name = _comuni_index()
    if text.isdigit() and text.zfill(6) in by_code:
        return by_code[text.zfill(6)]
    matches = by_name.get(fold(text), [])
    if province:
        matches = [comune for comune in matches if comune.province == province.upper()]
    if len(matches) == 1:
        return matches[0]
    if not matches and province:
        raise ValidationError(
            _("There is no comune called “%(name)s” in the province %(province)s.")
            % {"name": text, "province": province.upper()}
        )
    if not matches:
        raise ValidationError(_("There is no comune called “%(name)s”.") % {"name": text})
    raise ValidationError(
        _("More than one comune is called “%(name)s” (%(provinces)s): write its province too.")
        % {"name": text, "provinces": ", ".join(sorted(c.province for c in matches))}
    )


def comune_cleaner(field_name: str, province_field: str) -> Callable[[dict], None]:
    """A row cleaner: turn the comune named in `field_name` into a Comune, narrowed by the
    province sigla in the optional `province_field` (which leaves the values)."""

    def clean(values: dict) -> None:
        province = values.pop(province_field, "") or ""
        if field_name not in values:
            return
        if not values[field_name]:
            values[field_name] = None
            return
        try:
            values[field_name] = comune_find(values[field_name], province)
        except ValidationError as exc:
            raise ValidationError({field_name: exc.messages}) from None

    return clean
