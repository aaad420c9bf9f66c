"""The slowest query of each page the page benchmark measures, with its plan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench_pages \\
        .venv/bin/python bench/explain.py [--pages "dashboard,admin:home"] [--plans]

For the world in the database (one bench/pages.py builds: the records opened are those of
demo/pages.py), every page of the list, or those `--pages` names as bench/pages.py takes
it, is opened once through Django's test client as its role, with the portal's production
settings (DEBUG off, the second factor required) and the shared cache emptied before, so
that it makes the queries of a first request. Its queries are captured
(bench/_common.captured_queries) and each read among them is run again three times: its
time is the best of the three, and the slowest of the page is run once more under EXPLAIN
(ANALYZE, BUFFERS).

It prints a markdown table: page, role, queries, the page's total SQL time (the sum of its
queries' times), the slowest query's time, its first 80 characters and the top node of its
plan (node, actual time, rows) with the planning time; `--plans` prints each whole plan
after the table. The cache being in memory, the count leaves out what the database cache
(the default) adds to a first request: tests/demo/test_page_queries.py pins both.

It leaves the database as it found it, so that it can run against a world others are
reading or timing at the same time: sessions are kept in signed cookies and the cache in
the process's memory, and each opening (its login, and what a page records, such as the
audit trail of who read a candidate's record) runs in a transaction rolled back at once,
without the login's update of the user's last login, which would lock the user's row. It
refuses a database whose name does not contain "bench".
"""

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rank  # the database handling of the benchmarks (it puts the portal on the path)
from _common import captured_queries
from pages import DEFAULT_URL, _production_env

from demo.pages import chosen, measured_pages

TIMINGS = 3  # runs of each read, the best of which is its time
HOST = "127.0.0.1"
SHOWN = 80  # characters of the slowest query shown in the table


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        default="",
        help='only these pages, comma-separated names ("dashboard,tranche list"), each '
        'optionally of one role ("admin:home")',
    )
    parser.add_argument("--plans", action="store_true", help="print every plan in full")
    return parser.parse_args()


def _setup(url: str) -> None:
    rank._settings_of(url)  # PostgreSQL, and a database whose name contains "bench"
    sys.path.insert(0, str(rank.ROOT))  # the portal's apps before bench/'s scripts (search)
    os.environ.update(_production_env(url, secrets.token_urlsafe(64)))
    os.environ["DJANGO_SETTINGS_MODULE"] = "focus.settings"
    import django

    django.setup()
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.test.utils import override_settings

    override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    ).enable()
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


def _logged_in(role: str):
    """A test client logged in as the demo user `role`, past the second factor as
    accounts.testing.logged_in leaves it (a device made for the purpose when the user has
    none: the caller rolls it back)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.selectors import second_factor_expected

    user = User.objects.get(username=role)
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    if second_factor_expected(user):
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def _opening(role: str, path: str) -> tuple[int, list[dict]]:
    """One opening of `path` as `role`, its cache empty: its status and queries, everything
    it wrote rolled back."""
    from django.core.cache import cache
    from django.db import transaction

    with transaction.atomic():
        client = _logged_in(role)
        cache.clear()
        answer = {}
        queries = captured_queries(lambda: answer.update(response=client.get(path)))
        transaction.set_rollback(True)
    return answer["response"].status_code, queries


def _reads(sql: str) -> bool:
    return sql.lstrip()[:6].upper() in ("SELECT", "WITH ")


def _timed(sql: str) -> float:
    """The best of TIMINGS runs of the read `sql`, to its last row, in ms."""
    from django.db import connection, transaction

    times = []
    with transaction.atomic(), connection.cursor() as cursor:
        for _ in range(TIMINGS):
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
        transaction.set_rollback(True)
    return min(times)


def _explained(sql: str, *, text: bool) -> tuple[dict, str]:
    """The plan of `sql` under EXPLAIN (ANALYZE, BUFFERS), as JSON and (when `text`) as
    PostgreSQL prints it; whatever the query did is rolled back."""
    from django.db import connection, transaction

    plain = ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        if text:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plain = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0], plain


def _top_node(plan: dict) -> str:
    """The plan's top node, its actual time and rows, and the time the planner took (which
    the node's time leaves out)."""
    node = plan["Plan"]
    on = f" on {node['Relation Name']}" if node.get("Relation Name") else ""
    return (
        f"{node['Node Type']}{on} ({node['Actual Total Time']:.1f} ms, "
        f"{node['Actual Rows']} rows; planning {plan['Planning Time']:.1f} ms)"
    )


def _page(role: str, name: str, path: str, *, text: bool) -> dict:
    status, queries = _opening(role, path)
    # Each read run again, best of TIMINGS; the rest (savepoints, the audit trail's
    # records) as the opening timed them.
    times = [
        _timed(query["sql"]) if _reads(query["sql"]) else 1000 * float(query["time"])
        for query in queries
    ]
    reads = [n for n, query in enumerate(queries) if _reads(query["sql"])]
    slowest = max(reads, key=lambda n: times[n]) if reads else None
    figures = {
        "page": name,
        "role": role,
        "status": status,
        "queries": len(queries),
        "total_ms": sum(times),
        "slowest_ms": times[slowest] if slowest is not None else 0.0,
        "sql": queries[slowest]["sql"] if slowest is not None else "",
        "top": "",
        "plan": "",
    }
    if slowest is not None:
        plan, figures["plan"] = _explained(queries[slowest]["sql"], text=text)
        figures["top"] = _top_node(plan)
    return figures


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _report(pages: list[dict], *, plans: bool) -> int:
    print("| page | role | queries | SQL ms | slowest ms | slowest query | plan's top node |")
    print("|---" * 7 + "|")
    for page in pages:
        shown = " ".join(page["sql"].split())[:SHOWN]
        print(
            f"| {page['page']} | {page['role']} | {page['queries']} | {page['total_ms']:.1f} | "
            f"{page['slowest_ms']:.1f} | `{_cell(shown)}` | {_cell(page['top'])} |"
        )
    if plans:
        for page in pages:
            print(f"\n### {page['page']} ({page['role']}), {page['slowest_ms']:.1f} ms\n")
            print(f"```sql\n{page['sql']}\n```\n\n```\n{page['plan']}\n```")
    bad = [f"{p['role']}:{p['page']} {p['status']}" for p in pages if p["status"] != 200]
    if bad:
        print("\nNOT 200: " + "; ".join(bad))
        return 1
    return 0


def main() -> None:
    arguments = _arguments()
    _setup(os.environ.get("DATABASE_URL", DEFAULT_URL))
    pages = chosen(measured_pages(), arguments.pages)
    if not pages:
        sys.exit(f"No page is named {arguments.pages!r}")
    figures = [_page(role, name, path, text=arguments.plans) for role, name, path in pages]
    sys.exit(_report(figures, plans=arguments.plans))


if __name__ == "__main__":
    main()
