"""A figure: the one shape every dashboard and overview of the portal shows a number in, and
the colours the pages draw figures in."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tone:
    """A colour of the pages, by its Bootstrap name (`text-bg-success`, `bg-success`), with
    what the browser shows for it: the background and the text on it (`text-bg-...`), as hex
    RGB, for what draws it outside a page (the workbook's charts and cells)."""

    name: str
    background: str
    text: str


# Bootstrap 5.3's colours, but for primary, which static/css/focus.css sets to the portal's
# blue (`.bg-primary`). tests/browser/test_dashboard.py reads them back from the page.
TONES = {
    tone.name: tone
    for tone in (
        Tone("primary", "0B4F8A", "FFFFFF"),
        Tone("success", "198754", "FFFFFF"),
        Tone("warning", "FFC107", "000000"),
        Tone("danger", "DC3545", "FFFFFF"),
    )
}


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
    tone: str = ""  # the colour it is drawn in (a name of TONES), where it has one of its own

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0
