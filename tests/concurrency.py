"""What the threaded tests of concurrent saves share."""

import time

from django.db import OperationalError


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
