"""Benchmark of the ranking engine (matching.ranking.rank) against the scan floor, idle and
under load from another job.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench \\
        .venv/bin/python bench/rank.py [--candidates 100000] [--runs 7] [--check-small 1000] \\
        [--load 2]

The floor is the least any ranking must do: the engine's own knock-out filter
(`ranking._eligible`) over the same pool, ordered by one stored, non-indexed number, top 50.
The ranking is `rank(need, top=50)` with its explanations: the first one after a change
(the kept ranking retired, so it is worked out in the database), and the kept one (served
from the shared cache, its rows and explanations read again); the ranking page adds the near
misses, first and kept. All are medians of `--runs` rounds after a warm-up round, each round
running every measure one after the other (so that load from elsewhere on the machine weighs
on all alike); the report gives their ratios to the floor and how many queries each makes,
at N and at a small N built in a database of its own (`<name>_small`), since the number of
queries must not depend on the size of the pool.

The same rounds run twice in one run: on the machine as it is ("idle"), then while `--load`
other processes (2 by default; 0: none) run a CPU- and database-heavy loop on the same
database, grouped aggregates over every candidate and their skills, as another job would.

The data (N candidates, one need) is built once, with bulk inserts, and reused by later runs
of the same N; `--rebuild` drops the database and builds it again. The benchmark only ever
writes to a database whose name contains "bench", and creates it when it is missing.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess  # runs the portal's own commands, fixed arguments # nosec B404
import sys
import time
from pathlib import Path

from _common import at_most, captured_queries, how_built

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from demo import scale  # noqa: E402 - the candidates' builder, shared with seed_demo --scale

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/focus_bench"
# + N: the code of the benchmark's centre says which set is there, and which build of it: a
# set built before the data had travel means, obstacles and the years of jobs (v1), or before
# the candidates carried their verified Italian level from their assessments (v2), is built
# again.
MARKER = "bench-v3-centre-"
BATCH = scale.BATCH
TARGET_RATIO = 3.0
TARGET_MS = 150.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000, help="pool size N")
    parser.add_argument("--runs", type=int, default=11, help="timed rounds (at least 5)")
    parser.add_argument(
        "--check-small",
        type=int,
        default=1000,
        metavar="N",
        help="also count the queries at this pool size, in <database>_small (0: skip)",
    )
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build it anew")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated data")
    parser.add_argument(
        "--analyze", action="store_true", help="print EXPLAIN ANALYZE of the timed queries"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    parser.add_argument(
        "--load",
        type=int,
        default=2,
        metavar="K",
        help="also measure while K processes load the database (0: idle only)",
    )
    parser.add_argument("--load-worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.runs < 5:
        parser.error("--runs must be at least 5")
    if arguments.candidates < 100:
        parser.error("--candidates must be at least 100")
    return arguments


# The database --------------------------------------------------------------------------------


def _settings_of(url: str) -> dict:
    import dj_database_url

    database = dj_database_url.parse(url)
    if database["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmark runs on PostgreSQL: DATABASE_URL=postgres://...")
    if "bench" not in database["NAME"]:
        sys.exit(f"Refusing to write benchmark data into {database['NAME']!r}: use a *bench* db.")
    return database


def _connect(database: dict, name: str):
    import psycopg2

    return psycopg2.connect(
        dbname=name,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
    )


def _existing_set(database: dict) -> int | None:
    """The N of the data already in the database, None when there is none (or no database)."""
    import psycopg2

    try:
        connection = _connect(database, database["NAME"])
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('accounts_organisation') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute(
                "SELECT code FROM accounts_organisation WHERE code LIKE %s", [MARKER + "%"]
            )
            row = cursor.fetchone()
    finally:
        connection.close()
    # 0: the tables hold data of an older build, or none of ours: to build again.
    return int(row[0].removeprefix(MARKER)) if row else 0


def _database_ready(database: dict, *, candidates: int, rebuild: bool) -> int | None:
    """Make sure the database exists; drop it first when asked or when it holds another N.
    Returns the N of the data to reuse, or None when the data must be built."""
    from psycopg2 import sql

    existing = _existing_set(database)
    drop = rebuild or (existing is not None and existing != candidates)
    server = _connect(database, "postgres")
    server.autocommit = True
    name = sql.Identifier(database["NAME"])
    with server.cursor() as cursor:
        if drop:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    server.close()
    return None if drop else existing


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log, except where CaptureQueriesContext asks for one
    call_command("migrate", verbosity=0)


# The data ------------------------------------------------------------------------------------


class _World(scale.World):
    """What the generated rows point to: the reference data and a few organisations (the
    benchmark's centre, agency, recruiter and two tranches, past)."""

    def __init__(self, n: int, rng: random.Random):
        from accounts.models import Organisation, User
        from interviews.models import Tranche

        super().__init__(rng)
        self.centre = Organisation.objects.create(
            name=f"Benchmark centre ({n} candidates)", code=f"{MARKER}{n}", kind="centre"
        )
        agency = Organisation.objects.create(
            name="Benchmark agency", code="bench-agency", kind="agency"
        )
        self.recruiter = User.objects.create_user(
            "bench-recruiter", "bench@example.org", None, role="recruiter", organisation=agency
        )
        self.tranches = [
            Tranche.objects.create(
                name=f"Benchmark tranche {number}",
                starts_on=self.today - datetime.timedelta(days=120 - 60 * number),
                ends_on=self.today - datetime.timedelta(days=90 - 60 * number),
                target=1000,
            )
            for number in (0, 1)
        ]


def _need(world: _World):
    """A forklift driver in Dalmine, two shifts, Italian B1, a start date: a preferred skill
    and a preferred certification."""
    from stdnum import luhn

    from accounts.models import Organisation
    from catalog.models import Certification, Comune, JobProfile, Skill
    from companies.models import Company, Need, NeedCertification, NeedSkill, SurveyCampaign

    organisation = Organisation.objects.create(
        name="Benchmark Logistica S.r.l.", code="bench-company", kind="company"
    )
    base = "9000001016"
    company = Company.objects.create(
        organisation=organisation, partita_iva=base + luhn.calc_check_digit(base)
    )
    campaign = SurveyCampaign.objects.create(
        name="Benchmark",
        opens_on=world.today - datetime.timedelta(days=30),
        closes_on=world.today + datetime.timedelta(days=60),
        status="open",
    )
    need = Need.objects.create(
        company=company,
        campaign=campaign,
        profile=JobProfile.objects.get(code="carrellista"),
        workplace=Comune.objects.get(istat_code="016091"),  # Dalmine
        headcount=3,
        contract=Need.Contract.FIXED_TERM,
        shifts=Need.Shifts.TWO,
        italian_level="B1",
        start_date=world.today + datetime.timedelta(days=30),
        duration_months=12,
        min_experience_years=2,
    )
    NeedSkill.objects.create(need=need, skill=Skill.objects.get(code="conduzione-carrello"))
    NeedCertification.objects.create(
        need=need,
        certification=Certification.objects.get(code="abilitazione-carrelli-elevatori"),
    )
    return need


def _build(n: int, seed: int) -> None:
    """N candidates with their skills, certifications, jobs, interviews and assessments (the
    shared builder of demo/scale.py), what they carry from their assessments, and the need."""
    from django.db import connection, transaction

    from candidates.models import Candidate
    from catalog.models import JobProfile
    from catalog.services import reference_load

    if not JobProfile.objects.exists():
        reference_load()
    with transaction.atomic():
        world = _World(n, random.Random(seed))  # noqa: S311 - made-up data, not secrets # nosec B311
        for start in range(0, n, 2 * BATCH):
            batch = [scale.candidate(world) for _ in range(min(2 * BATCH, n - start))]
            scale.insert(Candidate, batch)
            scale.links_create(world, batch)
            scale.assessments(world, batch)
        scale.candidate_facts_bulk()
        _need(world)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics for the planner, as in production


# The measures --------------------------------------------------------------------------------


def _interleaved_medians_ms(preparers: list, runs: int) -> list[float]:
    """The median time of each measure, over `runs` rounds after a warm-up round. Each round
    runs every measure once, one after the other, so that a burst of load from elsewhere on
    the machine falls on all of them alike and leaves their ratio as it is. What a measure
    needs is prepared outside the timer."""
    times = [[] for _ in preparers]
    for round_ in range(runs + 1):
        for measure, prepare in enumerate(preparers):
            run = prepare()
            start = time.perf_counter()
            run()
            if round_:  # the first round warms caches, the connection, first-call costs
                times[measure].append((time.perf_counter() - start) * 1000)
    return [statistics.median(taken) for taken in times]


def _analyze(title: str, queries: list[dict]) -> None:
    from django.db import connection

    for query in sorted(queries, key=lambda q: -float(q["time"]))[:2]:
        print(f"\n-- {title}: {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
        with connection.cursor() as cursor:
            # The captured text is psycopg2's own rendering of the query that ran.
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


def _measures() -> dict:
    """What is timed, by name: each a preparer (run outside the timer) returning the run."""
    from companies.models import Need
    from focus.cache import touch
    from matching import ranking

    need_pk = Need.objects.get(company__organisation__code="bench-company").pk

    def floor():
        need = Need.objects.get(pk=need_pk)
        requirements = list(need.skill_requirements.all())
        certifications = list(need.certification_requirements.all())
        mandatory_skills = [r.skill_id for r in requirements if r.mandatory]
        mandatory_certs = [r.certification_id for r in certifications if r.mandatory]
        # Prepared outside the timer, like the need the ranking gets.
        return lambda: list(
            ranking._eligible(need, mandatory_skills, mandatory_certs).order_by(
                "max_commute_km", "pk"
            )[:50]
        )

    def first(**options):
        def prepare():
            touch(ranking.RANKING)  # as a write to a candidate does: the next rank() works it out
            need = Need.objects.get(pk=need_pk)  # a fresh need: rank() reads what it needs
            return lambda: ranking.rank(need, top=50, **options)

        return prepare

    def kept(**options):
        def prepare():
            ranking.rank(Need.objects.get(pk=need_pk), top=50, **options)  # kept, if it was not
            need = Need.objects.get(pk=need_pk)
            return lambda: ranking.rank(need, top=50, **options)

        return prepare

    return {
        "floor": floor,
        "rank": first(),
        "kept": kept(),
        "page": first(near_misses=True),
        "page_kept": kept(near_misses=True),
    }


def _queries(analyze: bool) -> dict:
    """How many queries each measure makes (once, outside the timed rounds)."""
    measures = _measures()
    captured = {name: captured_queries(prepare()) for name, prepare in measures.items()}
    if analyze:
        _analyze("scan floor", captured["floor"])
        _analyze("ranking", captured["rank"])
    return {f"{name}_queries": len(queries) for name, queries in captured.items()}


def _timings(runs: int) -> dict:
    """The medians of every measure, and their ratios to the floor's."""
    from companies.models import Need
    from matching import ranking

    measures = _measures()
    times = _interleaved_medians_ms(list(measures.values()), runs)
    medians = dict(zip(measures, times, strict=True))
    need = Need.objects.get(company__organisation__code="bench-company")
    figures = {"eligible": ranking.rank(need, top=50).eligible}
    for name, ms in medians.items():
        figures[f"{name}_ms"] = round(ms, 1)
        if name != "floor":
            figures[f"{name}_ratio"] = round(ms / medians["floor"], 2)
    return figures


# The other job -------------------------------------------------------------------------------

# Grouped aggregates over every candidate and their skills, one core each (no parallel
# workers): what a report, an export or another benchmark does to the same database.
LOAD_SQL = """
SELECT c.centre_id, c.shifts, count(*), avg(c.max_commute_km), count(DISTINCT s.skill_id),
       sum(length(c.first_name || c.last_name || c.email)), max(md5(c.last_name || c.id::text))
FROM candidates_candidate c LEFT JOIN candidates_candidateskill s ON s.candidate_id = c.id
GROUP BY c.centre_id, c.shifts
"""


def _load_worker(url: str) -> None:
    """Run LOAD_SQL over and over until killed (SIGTERM, by the benchmark that started it)."""
    connection = _connect(_settings_of(url), _settings_of(url)["NAME"])
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SET statement_timeout = '10s'")  # the server's side ends soon after
        while True:
            cursor.execute(LOAD_SQL)
            cursor.fetchall()


def _load_start(url: str, processes: int) -> list:
    """`processes` load workers (this script, `--load-worker`), started and given a second to
    reach their pace."""
    command = [sys.executable, __file__, "--load-worker"]
    env = {**os.environ, "DATABASE_URL": url}
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603 # nosec B603
        for _ in range(processes)
    ]
    time.sleep(1.5)
    return workers


def _load_stop(workers: list) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def _small_run(url: str, arguments: argparse.Namespace) -> dict:
    """The same measures at a small N, in a database of its own (a separate process)."""
    head, _slash, tail = url.rpartition("/")
    name, question, options = tail.partition("?")
    command = [
        sys.executable,
        __file__,
        "--candidates",
        str(arguments.check_small),
        "--runs",
        str(arguments.runs),
        "--check-small",
        "0",
        "--seed",
        str(arguments.seed),
        "--json",
        "--load",
        "0",
        *(["--rebuild"] if arguments.rebuild else []),
    ]
    env = {**os.environ, "DATABASE_URL": f"{head}/{name}_small{question}{options}"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if done.returncode:
        sys.exit(f"The run at {arguments.check_small} candidates failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


QUERIED = ("floor", "rank", "kept")  # the measures whose queries must not grow with N


def _report(n: int, built: str, figures: dict, small: dict | None) -> None:
    from django.db import connection

    print(
        f"Ranking benchmark, PostgreSQL {connection.pg_version // 10000}, "
        f"database {connection.settings_dict['NAME']}"
    )
    idle = figures["idle"]
    print(f"candidates: {n}, eligible for the need: {idle['eligible']} ({built})")
    conditions = [("idle", idle)]
    if "loaded" in figures:
        conditions.append((f"loaded ({figures['load']} other processes)", figures["loaded"]))
    lines = (
        ("floor", "scan floor (knock-outs, ordered by max_commute_km, top 50)"),
        ("rank", "rank(need, top=50), first after a change (worked out)"),
        ("kept", "rank(need, top=50), kept (a cache hit)"),
        ("page", "the ranking page's rank(), with near misses, first"),
        ("page_kept", "the ranking page's rank(), with near misses, kept"),
    )
    for title, timings in conditions:
        print(f"{title}, medians of {figures['runs']} runs:")
        for name, what in lines:
            ratio = "" if name == "floor" else f"  {timings[f'{name}_ratio']:5.2f} x the floor"
            print(
                f"  {what:<56} {timings[f'{name}_ms']:8.1f} ms  "
                f"{figures[f'{name}_queries']:2d} queries{ratio}"
            )
        print(
            f"  ratios: first {at_most(timings['rank_ratio'], TARGET_RATIO)}, "
            f"kept {at_most(timings['kept_ratio'], TARGET_RATIO)}; "
            f"first {at_most(timings['rank_ms'], TARGET_MS, ' ms')}"
        )
    if small is not None:
        counts = lambda figures: tuple(figures[f"{name}_queries"] for name in QUERIED)  # noqa: E731
        same = counts(small) == counts(figures)
        print(
            f"at {small['candidates']} candidates: floor {small['idle']['floor_ms']:.1f} ms, "
            f"ranking {small['idle']['rank_ms']:.1f} ms, kept {small['idle']['kept_ms']:.1f} ms; "
            f"queries {', '.join(map(str, counts(small)))} "
            f"({'the same' if same else 'NOT the same'} as at {n})"
        )
    summary = f"rank: idle {idle['rank_ratio']:.2f}x floor (kept {idle['kept_ratio']:.2f}x)"
    if "loaded" in figures:
        loaded = figures["loaded"]
        summary += f", loaded {loaded['rank_ratio']:.2f}x floor (kept {loaded['kept_ratio']:.2f}x)"
    print(summary)


def data_ready(url: str, *, candidates: int, seed: int, rebuild: bool) -> float | None:
    """Django set up on the benchmark's database at `url`, migrated, holding `candidates`
    candidates: those already there, or built afresh. Returns how many seconds the build
    took, None when the data was reused."""
    database = _settings_of(url)
    reuse = _database_ready(database, candidates=candidates, rebuild=rebuild)
    _django(url)
    if reuse is not None:
        return None
    start = time.perf_counter()
    _build(candidates, seed)
    return time.perf_counter() - start


def main() -> None:
    arguments = _arguments()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if arguments.load_worker:
        _load_worker(url)
        return
    build_s = data_ready(
        url, candidates=arguments.candidates, seed=arguments.seed, rebuild=arguments.rebuild
    )
    figures = {
        "candidates": arguments.candidates,
        "runs": arguments.runs,
        **_queries(arguments.analyze),
        "idle": _timings(arguments.runs),
    }
    if arguments.load:
        workers = _load_start(url, arguments.load)
        try:
            figures["loaded"] = _timings(arguments.runs)
        finally:
            _load_stop(workers)
        figures["load"] = arguments.load
    if arguments.json:
        print(json.dumps(figures))
        return
    small = _small_run(url, arguments) if arguments.check_small else None
    _report(arguments.candidates, how_built(build_s), figures, small)
    if small and any(small[f"{n}_queries"] != figures[f"{n}_queries"] for n in QUERIED):
        sys.exit(1)


if __name__ == "__main__":
    main()
