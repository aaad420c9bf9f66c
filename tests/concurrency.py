"""What the tests of concurrent saves share: two saves at once (threads), and what another
user does between the page's checks and the write."""

import contextlib
import threading
import time
from collections.abc import Callable
from unittest import mock

from django.db import OperationalError, connections

from catalog.versions import StaleEdit


def waiting_for_the_lock(save):
    """Call `save`, waiting while another connection holds the write lock. PostgreSQL and a
    SQLite database file wait by themselves; the in-memory SQLite database of the tests
    answers "table is locked" at once instead, so the wait is done here."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return save()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def at_once(*saves: Callable[[], object]) -> list[str]:
    """Run `saves` together, each in its own thread and connection (a transactional test's),
    and say how each ended, sorted: "saved", or "refused" when it raised StaleEdit."""
    barrier = threading.Barrier(len(saves))
    outcomes = []

    def run(save) -> None:
        try:
            barrier.wait()
            waiting_for_the_lock(save)
            outcomes.append("saved")
        except StaleEdit:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@contextlib.contextmanager
def meanwhile(owner, name: str, happening: Callable[..., object]):
    """`owner.name` (a service the view calls) lets `happening` run first, with the same
    arguments: what somebody else does while a page is being saved."""
    service = getattr(owner, name)

    def first(**kwargs):
        happening(**kwargs)
        return service(**kwargs)

    with mock.patch.object(owner, name, side_effect=first):
        yield
