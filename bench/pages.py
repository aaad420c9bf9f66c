"""Benchmark of the portal's pages, served as in production, at the demo's size and at N.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench_pages \\
        .venv/bin/python bench/pages.py [--candidates 100000] [--requests 40] [--rebuild] \\
        [--pages "dashboard,admin:home"]

Two worlds, each in a database of its own on the same server: the demo (`seed_demo`, 428
candidates) in `<name>_demo`, and `seed_demo --scale N` in `<name>`. Each is built once and
reused by later runs (a scaled world of another N is built again; `--rebuild` builds both
again); the benchmark only ever writes to databases whose name contains "bench".

For each world, in a process of its own: gunicorn serves the portal on loopback (2 workers,
an unused port, DEBUG off, the second factor required as in production); one session per
role (admin, staff, recruiter, caseworker, hr) is created in the database as a login past
the second factor leaves it (accounts.testing.logged_in); then, for /healthz (the baseline:
one query, no template) and for every main list, detail, dashboard and ranking page of every
role, a warm-up request and `--requests` requests over 8 concurrent connections (threads of
the standard library's http.client). Every answer must be a 200 (a redirect to the login page
is not): any other fails the run. The baseline is measured first and last, and its
throughput is the mean of the two.

The report gives for each page and role p50 and p95 (ms) and the throughput (requests a
second) at N, the throughput's ratio to the baseline's, and the growth (p50 at N over p50 at
the demo's size), against the targets: p95 <= 100 ms, >= 50 % of the baseline's
throughput, growth <= 2.
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess  # runs the portal's own commands and gunicorn, fixed arguments # nosec B404
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rank  # the database handling of the benchmarks (it puts the portal on the path)
from _common import at_most, how_built

from demo.pages import ROLES, chosen, measured_pages

ROOT = rank.ROOT
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/focus_bench_pages"
DEMO_CANDIDATES = 428  # what seed_demo builds
CONNECTIONS = 8
WORKERS = 2
TARGET_P95_MS = 100.0
TARGET_SHARE = 0.5
TARGET_GROWTH = 2.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000, help="candidates N")
    parser.add_argument("--requests", type=int, default=40, help="timed requests a page")
    parser.add_argument("--rebuild", action="store_true", help="build both worlds again")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated data")
    parser.add_argument(
        "--pages",
        default="",
        help='only these pages, comma-separated names ("dashboard,tranche list"), each '
        'optionally of one role ("admin:home")',
    )
    parser.add_argument("--world", help=argparse.SUPPRESS)  # a child's database URL
    arguments = parser.parse_args()
    if arguments.requests < 10:
        parser.error("--requests must be at least 10")
    if arguments.candidates < 1000:
        parser.error("--candidates must be at least 1000")
    return arguments


# The worlds ----------------------------------------------------------------------------------


def _candidates_in(database: dict) -> int | None:
    """How many candidates the database holds, None when it has no portal (or no database)."""
    import psycopg2

    try:
        connection = rank._connect(database, database["NAME"])
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('accounts_user') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT count(*) FROM accounts_user WHERE username = 'admin'")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT count(*) FROM candidates_candidate")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _recreate(database: dict) -> None:
    from psycopg2 import sql

    server = rank._connect(database, "postgres")
    server.autocommit = True
    name = sql.Identifier(database["NAME"])
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    server.close()


def _manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")


def _world_ready(url: str, *, scale: int | None, seed: int, rebuild: bool) -> float | None:
    """The world in the database at `url`: reused when it holds the expected candidates,
    built afresh otherwise. Returns how long the build took, None when reused."""
    database = rank._settings_of(url)
    expected = scale or DEMO_CANDIDATES
    if not rebuild and _candidates_in(database) == expected:
        _manage(url, "migrate", "--noinput", "-v0")  # the portal's latest migrations
        _vacuumed(database)
        return None
    start = time.perf_counter()
    _recreate(database)
    _manage(url, "migrate", "--noinput", "-v0")
    password = secrets.token_urlsafe(16)  # never used: the sessions are made in the database
    scaled = ["--scale", str(scale)] if scale else []
    _manage(url, "seed_demo", "--seed", str(seed), "--password", password, *scaled)
    _vacuumed(database)
    return time.perf_counter() - start


def _vacuumed(database: dict) -> None:
    """VACUUM (ANALYZE) the world, as autovacuum leaves a running server's tables: their
    visibility maps set (without them no index-only scan skips the table) and statistics
    fresh. A server run with autovacuum off would otherwise be measured on tables no
    production server has."""
    connection = rank._connect(database, database["NAME"])
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    connection.close()


def _renamed(url: str, suffix: str) -> str:
    head, _slash, tail = url.rpartition("/")
    name, question, options = tail.partition("?")
    return f"{head}/{name}{suffix}{question}{options}"


# One world, in a process of its own ----------------------------------------------------------


def _production_env(url: str, secret: str) -> dict:
    """The environment the portal runs with in production, on loopback over plain HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "LOCAL_HTTP": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secret,
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def _sessions() -> dict[str, str]:
    """A session cookie for each role, made in the database as a login leaves it."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from accounts.testing import logged_in

    cookies = {}
    for role in ROLES:
        client = logged_in(Client(), User.objects.get(username=role))
        cookies[role] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, cookie: str | None) -> tuple[int, float]:
    """One request on a connection of its own (gunicorn's workers close each): its status (0:
    no answer) and how long it took to the last byte, in ms."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0  # no answer: the worker was stopped (gunicorn's timeout) or the server
    finally:
        connection.close()
    return status, (time.perf_counter() - start) * 1000


def _load(port: int, path: str, cookie: str | None, requests: int) -> dict:
    """A warm-up request, then `requests` requests over CONNECTIONS concurrent connections."""
    status, _ms = _get(port, path, cookie)
    statuses = [status]
    start = time.perf_counter()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        results = list(pool.map(lambda _n: _get(port, path, cookie), range(requests)))
    wall = time.perf_counter() - start
    statuses += [status for status, _ms in results]
    times = sorted(ms for _status, ms in results)
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "throughput": requests / wall,
        "bad": sorted({status for status in statuses if status != 200}),
    }


def _serve(url: str, secret: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "focus.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=_production_env(url, secret))  # noqa: S603 # nosec B603
    for _ in range(120):
        time.sleep(0.5)
        try:
            if _get(port, "/healthz", None)[0] == 200:
                return server, port
        except OSError:
            continue
    server.terminate()
    sys.exit("gunicorn did not answer on /healthz within a minute")


def _child(url: str, requests: int, names: str = "") -> None:
    secret = secrets.token_urlsafe(64)
    os.environ.update(_production_env(url, secret))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    pages, cookies = chosen(measured_pages(), names), _sessions()
    if not pages:
        sys.exit(f"No page is named {names!r}")
    server, port = _serve(url, secret)
    try:
        first = _load(port, "/healthz", None, requests)
        figures = [
            {"role": role, "page": name, "path": path, **_load(port, path, cookies[role], requests)}
            for role, name, path in pages
        ]
        last = _load(port, "/healthz", None, requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    baseline = {
        "p50": (first["p50"] + last["p50"]) / 2,
        "p95": max(first["p95"], last["p95"]),
        "throughput": (first["throughput"] + last["throughput"]) / 2,
        "bad": first["bad"] + last["bad"],
    }
    print(json.dumps({"baseline": baseline, "pages": figures}))


def _measure(url: str, requests: int, names: str = "") -> dict:
    command = [sys.executable, __file__, "--world", url, "--requests", str(requests)]
    command += ["--pages", names]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if done.returncode:
        sys.exit(f"The measure of {url.rpartition('/')[2]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# The report ----------------------------------------------------------------------------------


def _report(arguments, built: dict, small: dict, large: dict) -> int:
    n = arguments.candidates
    print(f"Page benchmark, PostgreSQL, gunicorn {WORKERS} workers, {CONNECTIONS} connections")
    print(f"worlds: demo ({DEMO_CANDIDATES} candidates, {built['demo']}), {n} ({built['n']})")
    print(f"{arguments.requests} timed requests a page after one warm-up; times in ms")
    base_small, base = small["baseline"], large["baseline"]
    print(
        f"baseline /healthz at {n}: p50 {base['p50']:.1f}, p95 {base['p95']:.1f}, "
        f"{base['throughput']:.1f}/s (demo: p50 {base_small['p50']:.1f}, "
        f"{base_small['throughput']:.1f}/s)"
    )
    print(
        f"| page | role | p50 demo | p50 | p95 | req/s | of baseline | growth | "
        f"p95 <= {TARGET_P95_MS:g} | >= {TARGET_SHARE:.0%} of baseline | "
        f"growth <= {TARGET_GROWTH:g} |"
    )
    print("|---" * 11 + "|")
    bad = base["bad"] + base_small["bad"]
    met = {"p95": 0, "share": 0, "growth": 0}
    small_pages = {(p["role"], p["page"]): p for p in small["pages"]}
    for page in large["pages"]:
        before = small_pages.get((page["role"], page["page"]))
        share = page["throughput"] / base["throughput"]
        growth = page["p50"] / before["p50"] if before else float("nan")
        print(
            f"| {page['page']} | {page['role']} | "
            f"{before['p50'] if before else float('nan'):.1f} | {page['p50']:.1f} | "
            f"{page['p95']:.1f} | {page['throughput']:.1f} | {share:.0%} | {growth:.2f} | "
            f"{_mark(at_most(page['p95'], TARGET_P95_MS))} | "
            f"{'yes' if share >= TARGET_SHARE else 'NO'} | "
            f"{_mark(at_most(growth, TARGET_GROWTH))} |"
        )
        met["p95"] += page["p95"] <= TARGET_P95_MS
        met["share"] += share >= TARGET_SHARE
        met["growth"] += growth <= TARGET_GROWTH
        bad += [f"{page['role']} {page['path']}: {status}" for status in page["bad"]]
    print(
        f"of {len(large['pages'])} pages: p95 within target {met['p95']}, throughput within "
        f"target {met['share']}, growth within target {met['growth']}"
    )
    for page in small["pages"]:
        bad += [f"demo {page['role']} {page['path']}: {status}" for status in page["bad"]]
    if bad:
        print("NOT 200: " + "; ".join(str(b) for b in bad))
    else:
        print("every answer was a 200")
    print(_summary(small, large))
    return 1 if bad else 0


def _summary(small: dict, large: dict) -> str:
    """The run at a glance: the worst page for each target, at N."""
    small_pages = {(p["role"], p["page"]): p for p in small["pages"]}
    base = large["baseline"]["throughput"]

    def name(page: dict) -> str:
        return f"{page['role']}:{page['page']}"

    def growth(page: dict) -> float:
        before = small_pages.get((page["role"], page["page"]))
        return page["p50"] / before["p50"] if before else float("nan")

    slowest = max(large["pages"], key=lambda page: page["p95"])
    busiest = min(large["pages"], key=lambda page: page["throughput"])
    growing = max(large["pages"], key=growth)
    return (
        f"worst throughput: {name(busiest)}; worst growth: {name(growing)}\n"
        f"pages: worst p95 {slowest['p95']:.0f} ms ({name(slowest)}), worst throughput "
        f"{busiest['throughput'] / base:.0%} of baseline, worst growth {growth(growing):.2f}x"
    )


def _mark(verdict: str) -> str:
    """The yes or NO of `at_most`'s verdict."""
    return verdict.rpartition(": ")[2]


def main() -> None:
    arguments = _arguments()
    if arguments.world:
        _child(arguments.world, arguments.requests, arguments.pages)
        return
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    demo_url = _renamed(url, "_demo")
    built = {
        "demo": how_built(
            _world_ready(demo_url, scale=None, seed=arguments.seed, rebuild=arguments.rebuild)
        ),
        "n": how_built(
            _world_ready(
                url, scale=arguments.candidates, seed=arguments.seed, rebuild=arguments.rebuild
            )
        ),
    }
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        _collectstatic(url)
    small = _measure(demo_url, arguments.requests, arguments.pages)
    large = _measure(url, arguments.requests, arguments.pages)
    sys.exit(_report(arguments, built, small, large))


def _collectstatic(url: str) -> None:
    """The static files as production serves them (WhiteNoise's manifest), as `make run`
    collects them."""
    env = _production_env(url, secrets.token_urlsafe(64))
    command = [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=env, check=True)  # noqa: S603 # nosec B603


if __name__ == "__main__":
    main()
