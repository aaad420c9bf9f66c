"""Benchmark of the ranking engine (matching.ranking.rank) against the scan floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench \\
        .venv/bin/python bench/rank.py [--candidates 100000] [--runs 7] [--check-small 1000]

The floor is the least any ranking must do: the engine's own knock-out filter
(`ranking._eligible`) over the same pool, ordered by one stored, non-indexed number, top 50.
The ranking is `rank(need, top=50)` with its explanations. Both are medians of `--runs`
rounds after a warm-up round, each round running the floor, the ranking and the ranking page
one after the other (so that load from elsewhere on the machine weighs on all alike); the
report gives their ratio and how many queries each makes, at N
and at a small N built in a database of its own (`<name>_small`), since the number of queries
must not depend on the size of the pool.

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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/focus_bench"
# + N: the code of the benchmark's centre says which set is there, and which build of it: a
# set built before the data had travel means, obstacles and the years of jobs is built again.
MARKER = "bench-v2-centre-"
BATCH = 5000
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

# fmt: off
FIRST_NAMES = [
    "Fatima", "Amina", "Aisha", "Mariam", "Khadija", "Sara", "Giulia", "Maria", "Elena", "Olena",
    "Iryna", "Grace", "Blessing", "Joy", "Mohamed", "Ahmed", "Youssef", "Omar", "Ibrahim",
    "Moussa", "Mamadou", "Luca", "Marco", "Andrea", "Paolo", "Rachid", "Karim", "Samuel",
    "Emmanuel", "Ion", "Andrei", "Florin", "Ana", "Elvira", "Rosa", "Lucia", "Nadia", "Hassan",
    "Ali", "Bilal", "Imran"
]
LAST_NAMES = [
    "Rossi", "Bianchi", "Colombo", "Ferrari", "Rota", "Locatelli", "Pesenti", "Bonacina",
    "Cattaneo", "Carminati", "Benali", "Haddad", "Diallo", "Traoré", "Ndiaye", "Okafor", "Mensah",
    "Kovalenko", "Shevchenko", "Popescu", "Ionescu", "Hussain", "Khan", "Rahman", "Ahmed",
    "Mahmoud", "Haidari", "Gashi", "Hoxha", "Quispe", "Flores", "Mendoza", "Santos"
]
# Italians, another EU country, and the countries most candidates come from.
NATIONALITIES = ["IT"] * 30 + ["RO"] * 5 + [
    "MA", "SN", "NG", "PK", "UA", "AL", "EG", "BD", "PE", "EC", "TN", "GH", "CI", "ML", "IN",
    "LK", "CN", "BR"
] * 4
# fmt: on
LEVELS = ["A1"] * 10 + ["A2"] * 25 + ["B1"] * 25 + ["B2"] * 15 + ["C1"] * 5 + [""] * 5
STATUSES = (
    ["registered"] * 78
    + ["interviewed"] * 8
    + ["shortlisted"] * 2
    + ["placed"] * 5
    + ["withdrawn"] * 2
    + ["suspended"] * 1
    + ["draft"] * 2
)


class _World:
    """What the generated rows point to: the reference data and a few organisations."""

    def __init__(self, n: int, rng: random.Random):
        from django.utils import timezone

        from accounts.models import Organisation, User
        from catalog.models import Certification, Comune, JobProfile, Skill
        from interviews.models import Tranche

        self.rng = rng
        self.today = timezone.localdate()
        comuni = list(Comune.objects.filter(province="BG").values_list("pk", "name"))
        self.comuni = [pk for pk, _name in comuni]
        self.comune_weights = [12 if name == "Bergamo" else 1 for _pk, name in comuni]
        self.skills = list(Skill.objects.values_list("pk", flat=True))
        self.certifications = dict(Certification.objects.values_list("pk", "validity_years"))
        self.profiles = list(JobProfile.objects.values_list("pk", flat=True))
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

    def days(self, low: int, high: int) -> datetime.date:
        return self.today + datetime.timedelta(days=self.rng.randint(low, high))


def _candidate(world: _World):
    from candidates.models import Candidate

    rng = world.rng
    nationality = rng.choice(NATIONALITIES)
    foreign = nationality not in {"IT", "RO"}
    own_car = rng.random() < 0.35
    matching = rng.random() < 0.93
    permit_expiry = world.days(-120, 900) if foreign else None
    status = rng.choice(STATUSES)
    return Candidate(
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        sex=rng.choice("FM"),
        birth_date=world.days(-62 * 365, -18 * 365),
        nationality=nationality,
        birth_country=nationality,
        residence_comune_id=rng.choices(world.comuni, world.comune_weights)[0],
        centre_id=world.centre.pk,
        status=status,
        italian_level="native" if nationality == "IT" else rng.choice(LEVELS),
        driving_licences="B" if own_car or rng.random() < 0.15 else "",
        own_car=own_car,
        motorbike=not own_car and rng.random() < 0.08,
        bicycle=rng.random() < 0.15,
        public_transport=not own_car and rng.random() < 0.7,
        lift=rng.random() < 0.1,
        max_commute_km=None if rng.random() < 0.4 else rng.choice([5, 10, 15, 20, 25, 30, 40]),
        max_commute_minutes=rng.choice([None, None, None, 20, 30, 45, 60]),
        available_from=None if rng.random() < 0.45 else world.days(-60, 150),
        hours=rng.choice(["either"] * 12 + ["full_time"] * 5 + ["part_time"] * 3),
        shifts=rng.choice(["day"] * 9 + ["two"] * 7 + ["three"] * 4),
        nights=rng.random() < 0.2,
        weekends=rng.random() < 0.35,
        care_duties=rng.random() < 0.25,
        permit_type=rng.choice(["work", "family", "protection", "long_term"]) if foreign else "",
        permit_expiry=permit_expiry,
        permit_renewal_requested_on=world.days(-60, -1)
        if permit_expiry
        and permit_expiry < world.today + datetime.timedelta(days=60)
        and rng.random() < 0.5
        else None,
        consent_programme=matching or rng.random() < 0.7,
        consent_matching=matching,
        consent_share_profile=matching and rng.random() < 0.9,
    )


def _links(world: _World, candidates: list) -> dict[str, list]:
    """Skills, certifications and experience of some of the candidates."""
    from candidates.models import CandidateCertification, CandidateSkill, Experience

    rng = world.rng
    rows = {"skills": [], "certifications": [], "experiences": []}
    for candidate in candidates:
        if rng.random() < 0.4:
            for skill in rng.sample(world.skills, rng.randint(1, 4)):
                rows["skills"].append(
                    CandidateSkill(
                        candidate=candidate, skill_id=skill, verified=rng.random() < 0.25
                    )
                )
        if rng.random() < 0.3:
            for certification in rng.sample(sorted(world.certifications), rng.randint(1, 2)):
                obtained = world.days(-6 * 365, -10)
                years = world.certifications[certification]
                rows["certifications"].append(
                    CandidateCertification(
                        candidate=candidate,
                        certification_id=certification,
                        obtained_on=obtained,
                        expires_on=obtained.replace(year=obtained.year + years)
                        if years and obtained.month * 100 + obtained.day != 229
                        else None,
                        verified=rng.random() < 0.3,
                    )
                )
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            profile = rng.choice(world.profiles) if rng.random() < 0.8 else None
            rows["experiences"].append(
                Experience(
                    candidate=candidate,
                    profile_id=profile,
                    description="" if profile else "Lavori vari",
                    years=rng.randint(1, 15),
                    ended_in=None if rng.random() < 0.4 else world.today.year - rng.randint(0, 12),
                )
            )
    return rows


def _assessments(world: _World, candidates: list) -> None:
    """An interview and its assessment for the interviewed and shortlisted candidates; one
    in ten of them was interviewed again in the second tranche."""
    from interviews.models import Assessment, Interview, Obstacle, SuitableProfile

    rng = world.rng
    interviews = []
    for candidate in candidates:
        if candidate.status not in {"interviewed", "shortlisted"}:
            continue
        for tranche in world.tranches[: 2 if rng.random() < 0.1 else 1]:
            interviews.append(
                Interview(
                    tranche=tranche,
                    candidate=candidate,
                    recruiter=world.recruiter,
                    agency_id=world.recruiter.organisation_id,
                    scheduled_at=datetime.datetime.combine(
                        tranche.starts_on, datetime.time(9), tzinfo=datetime.UTC
                    )
                    + datetime.timedelta(minutes=45 * rng.randint(0, 800)),
                    status="done",
                )
            )
    Interview.objects.bulk_create(interviews, batch_size=BATCH)
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                interview=interview,
                employability=rng.choice("AAABBBBCC"),
                verified_italian_level=rng.choice(["", "A2", "B1", "B2"]),
                recorded_by=world.recruiter,
            )
            for interview in interviews
        ],
        batch_size=BATCH,
    )
    SuitableProfile.objects.bulk_create(
        [
            SuitableProfile(
                assessment=assessment,
                profile_id=profile,
                rank=rank,
                candidate_id=assessment.interview.candidate_id,
            )
            for assessment in assessments
            if rng.random() < 0.6
            for rank, profile in enumerate(rng.sample(world.profiles, 2), start=1)
        ],
        batch_size=BATCH,
    )
    kinds = ["transport", "language", "care", "documents", "housing", "health", "digital"]
    Obstacle.objects.bulk_create(
        [
            Obstacle(assessment=assessment, kind=kind, severity=rng.choice([1, 2, 2, 3]))
            for assessment in assessments
            if rng.random() < 0.5
            for kind in rng.sample(kinds, rng.randint(1, 3))
        ],
        batch_size=BATCH,
    )


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


def _employability() -> None:
    """Candidate.employability and .severe_obstacle, which assessment_record keeps and the bulk
    inserts bypass: the class of each candidate's latest assessment, and whether it records
    a severe obstacle still open."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from candidates.models import Candidate
    from interviews.models import Assessment

    latest = (
        Assessment.objects.filter(interview__candidate=OuterRef("pk"))
        .order_by("-interview__scheduled_at", "-pk")
        .values("employability")[:1]
    )
    Candidate.objects.update(employability=Coalesce(Subquery(latest), Value("")))
    from interviews.selectors import open_severe_obstacles

    severe = open_severe_obstacles().values("assessment__interview__candidate")
    Candidate.objects.filter(pk__in=severe).update(severe_obstacle=True)


def _build(n: int, seed: int) -> None:
    from django.db import connection, transaction

    from candidates.models import Candidate, CandidateCertification, CandidateSkill, Experience
    from catalog.models import JobProfile
    from catalog.services import reference_load

    if not JobProfile.objects.exists():
        reference_load()
    with transaction.atomic():
        world = _World(n, random.Random(seed))  # noqa: S311 - made-up data, not secrets # nosec B311
        for start in range(0, n, 2 * BATCH):
            batch = [_candidate(world) for _ in range(min(2 * BATCH, n - start))]
            Candidate.objects.bulk_create(batch, batch_size=BATCH)
            links = _links(world, batch)
            CandidateSkill.objects.bulk_create(links["skills"], batch_size=BATCH)
            CandidateCertification.objects.bulk_create(links["certifications"], batch_size=BATCH)
            Experience.objects.bulk_create(links["experiences"], batch_size=BATCH)
            _assessments(world, batch)
        _employability()
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


def _measure(runs: int, analyze: bool) -> dict:
    from companies.models import Need
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

    def ranked():
        need = Need.objects.get(pk=need_pk)  # a fresh need: rank() reads what it needs
        return lambda: ranking.rank(need, top=50)

    def page():
        need = Need.objects.get(pk=need_pk)
        return lambda: ranking.rank(need, top=50, near_misses=True)

    floor_queries, rank_queries = captured_queries(floor()), captured_queries(ranked())
    if analyze:
        _analyze("scan floor", floor_queries)
        _analyze("ranking", rank_queries)
    result = ranked()()
    floor_ms, rank_ms, page_ms = _interleaved_medians_ms([floor, ranked, page], runs)
    return {
        "eligible": result.eligible,
        "floor_ms": round(floor_ms, 1),
        "rank_ms": round(rank_ms, 1),
        "ratio": round(rank_ms / floor_ms, 2),
        "page_ms": round(page_ms, 1),
        "page_ratio": round(page_ms / floor_ms, 2),
        "floor_queries": len(floor_queries),
        "rank_queries": len(rank_queries),
    }


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
        *(["--rebuild"] if arguments.rebuild else []),
    ]
    env = {**os.environ, "DATABASE_URL": f"{head}/{name}_small{question}{options}"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if done.returncode:
        sys.exit(f"The run at {arguments.check_small} candidates failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(n: int, built: str, figures: dict, small: dict | None) -> None:
    from django.db import connection

    print(
        f"Ranking benchmark, PostgreSQL {connection.pg_version // 10000}, "
        f"database {connection.settings_dict['NAME']}"
    )
    print(f"candidates: {n}, eligible for the need: {figures['eligible']} ({built})")
    print(f"medians of {figures['runs']} runs:")
    print(
        f"  scan floor (knock-outs, ordered by max_commute_km, top 50): "
        f"{figures['floor_ms']:8.1f} ms  {figures['floor_queries']} queries"
    )
    print(
        f"  rank(need, top=50), with explanations:                       "
        f"{figures['rank_ms']:8.1f} ms  {figures['rank_queries']} queries"
    )
    print(
        f"  the same with the near misses (the ranking page):            "
        f"{figures['page_ms']:8.1f} ms  ({figures['page_ratio']:.2f} x the floor)"
    )
    print(
        f"ratio ranking/floor: {figures['ratio']:.2f} "
        f"(target {at_most(figures['ratio'], TARGET_RATIO)}); "
        f"ranking {at_most(figures['rank_ms'], TARGET_MS, ' ms')}"
    )
    if small is not None:
        same = (small["floor_queries"], small["rank_queries"]) == (
            figures["floor_queries"],
            figures["rank_queries"],
        )
        print(
            f"at {small['candidates']} candidates: floor {small['floor_ms']:.1f} ms, "
            f"ranking {small['rank_ms']:.1f} ms; queries {small['floor_queries']} and "
            f"{small['rank_queries']} ({'the same' if same else 'NOT the same'} as at {n})"
        )


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
    build_s = data_ready(
        url, candidates=arguments.candidates, seed=arguments.seed, rebuild=arguments.rebuild
    )
    figures = {
        "candidates": arguments.candidates,
        "runs": arguments.runs,
        **_measure(arguments.runs, arguments.analyze),
    }
    if arguments.json:
        print(json.dumps(figures))
        return
    small = _small_run(url, arguments) if arguments.check_small else None
    _report(arguments.candidates, how_built(build_s), figures, small)
    if small and (small["rank_queries"], small["floor_queries"]) != (
        figures["rank_queries"],
        figures["floor_queries"],
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
