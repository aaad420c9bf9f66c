"""What the benchmarks report alike: the queries a measure makes, how the data came to be, and
whether a figure meets its target."""


def captured_queries(run) -> list[dict]:
    """The queries `run()` makes, as Django captures them (SQL and time of each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return captured.captured_queries


def how_built(seconds: float | None) -> str:
    """How the data came to be, for the report: built in `seconds`, or reused (None)."""
    if seconds is None:
        return "reused; --rebuild to build again"
    return f"built in {seconds:.1f} s"


def at_most(value: float, target: float, unit: str = "") -> str:
    """`value` against the most it may be: "<= 3: yes", or "<= 3: NO" when it is above."""
    return f"<= {target:g}{unit}: {'yes' if value <= target else 'NO'}"
