"""How wide a text prints in a cell, and how many lines it takes wrapped: what a column's width
and a wrapped row's height are worked out from (`focus.spreadsheets.writing`).

A column's width counts digits of the workbook's font (Calibri 11, or Carlito, its metric twin,
where LibreOffice prints it); letters are narrower or wider than a digit, so a text's width is
the sum of its characters' (`CHARACTER_WIDTHS`: Calibri's regular advance widths in digits,
rounded up to a tenth). The lines are those a word wrap makes at the spaces, a word longer
than a line broken where it overflows, as Excel and LibreOffice do; the estimate errs towards
one line too many, which leaves a little room, rather than a line cut off.
"""

import unicodedata

# Calibri's (and Carlito's) regular advance widths, in digits, rounded up to a tenth; a
# character not listed takes a digit, an accented letter its base letter's width.
_BY_WIDTH = {
    0.5: " '.,iIjl",
    0.7: "!():;[]`{}fJrt-",
    0.8: '"/sz',
    0.9: "Lckvxy?FSZ|",
    1.1: "BCKPRXbdhnopqu",
    1.2: "AV",
    1.3: "DGHNU",
    1.4: "&OQ",
    1.5: "%w",
    1.6: "m",
    1.7: "M",
    1.8: "@W",
}
CELL_PADDING = 1.0  # digits of a column's width that its cells' margins take, to be safe
CACHED_TEXT = 200  # characters: longer texts (notes) are rarely the same twice
CACHED_TEXTS = 4096  # texts a column remembers the lines of


class _Widths(dict):
    def __missing__(self, character: str) -> float:
        base = unicodedata.normalize("NFD", character)[:1]
        width = dict.get(self, base) if base != character else None
        if width is None:  # wide (East Asian) characters take two digits
            width = 2.0 if unicodedata.east_asian_width(character) in "WF" else 1.0
        self[character] = width
        return width


CHARACTER_WIDTHS = _Widths(
    {character: width for width, characters in _BY_WIDTH.items() for character in characters}
)
WIDEST = max(_BY_WIDTH)


def text_width(value: str) -> float:
    """The width of `value` on one line, in digits."""
    return sum(map(CHARACTER_WIDTHS.__getitem__, value))


def wrapped_lines(value: str, width: float) -> int:
    """The lines `value` takes in a wrapped cell of a column `width` digits wide (and at its
    own line breaks)."""
    return _lines(value, max(width - CELL_PADDING, 1.0))


class LineCounter:
    """`wrapped_lines` of the texts of one column `width` digits wide, for every row of a
    table: a text short enough whatever its letters (most) is one line at once, and the
    same texts coming back row after row (a centre's name, a label) are counted once."""

    def __init__(self, width: float):
        self.usable = max(width - CELL_PADDING, 1.0)
        self.short = int(self.usable / WIDEST)  # characters a line holds, whatever they are
        self._counted: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        if len(value) <= self.short and "\n" not in value:
            return 1
        lines = self._counted.get(value)
        if lines is None:
            lines = _lines(value, self.usable)
            if len(value) <= CACHED_TEXT and len(self._counted) < CACHED_TEXTS:
                self._counted[value] = lines
        return lines


def _lines(value: str, usable: float) -> int:
    space, lines = CHARACTER_WIDTHS[" "], 0
    for paragraph in value.splitlines() or [""]:
        lines, used = lines + 1, None  # the width of the line so far; None: nothing on it
        for word in paragraph.split(" "):
            width = text_width(word)
            if used is not None and used + space + width <= usable:
                used += space + width
                continue
            if used is not None:
                lines += 1
            used = width
            while used > usable:  # a word wider than the line: broken where it overflows
                lines, used = lines + 1, used - usable
    return lines
