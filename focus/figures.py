"""A figure: the one shape every dashboard and overview of the portal shows a number in."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """How many of something there are: `label` says what, `url` opens the list of exactly
    those (empty when no list can show them), `key` names it for code that picks one out (the
    workbook, tests), `total` is what it is a share of (0: no share)."""

    label: str
    value: int
    url: str = ""
    key: str = ""
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0
