"""How far an import has gone, for whoever follows it (a background import's page).

The reading and the writing of a workbook say each row they pass (`row_passed`); nobody
listens unless an import runs inside `progress_to(report)`, whose `report(stage, done, total)`
is called every `every` rows and at the end of each stage, never for each row."""

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CHECKING, WRITING = "checking", "writing"

Report = Callable[[str, int, int], None]


@dataclass
class _Listener:
    report: Report
    every: int
    total: int = 0
    stage: str = CHECKING
    done: int = 0
    told: int = 0

    def passed(self, rows: int) -> None:
        self.done += rows
        if self.done - self.told >= self.every:
            self.tell()

    def tell(self) -> None:
        self.told = self.done
        self.report(self.stage, self.done, self.total)


_listener: contextvars.ContextVar[_Listener | None] = contextvars.ContextVar(
    "spreadsheets_progress", default=None
)


@contextlib.contextmanager
def progress_to(report: Report, *, every: int = 250) -> Iterator[None]:
    """Call `report(stage, rows done, rows in all)` as the import within goes on."""
    token = _listener.set(_Listener(report, every))
    try:
        yield
    finally:
        _listener.reset(token)


def rows_found(total: int) -> None:
    """The file holds `total` rows to read and write."""
    if (listener := _listener.get()) is not None:
        listener.total = total


def stage_begin(stage: str) -> None:
    """A new pass over the rows begins (checking, then writing)."""
    if (listener := _listener.get()) is not None:
        if listener.done != listener.told:
            listener.tell()
        listener.stage, listener.done, listener.told = stage, 0, -1
        listener.tell()


def row_passed() -> None:
    if (listener := _listener.get()) is not None:
        listener.passed(1)


def stage_end() -> None:
    if (listener := _listener.get()) is not None and listener.done != listener.told:
        listener.tell()
