"""Benchmark of the programme workbook (reports.exporting) against the csv floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench_export \\
        .venv/bin/python bench/export.py [--candidates 100000] [--runs 5] [--full]

The floor is the least any export of these rows must do: the very querysets of the detail
sheets (`reports.exporting.need_rows`, `candidate_rows`, `assessment_rows`, `entry_rows`,
the obstacle groups, `support_action_rows`, `support_obstacle_rows` and `enrolment_rows`),
streamed from the
same server-side cursors with the same chunk size, dumped by `csv.writer` to a file. The
export is `workbook_write`: those rows plus the summary's figures, the Ostacoli pivot
(pandas), the costs by funding channel, labels, pseudonyms, formats, charts, and the zipped
XML of nine sheets.

Each run is a fresh process, so that its peak memory is its own: the process sets up Django,
resets its peak resident memory and reads where it stands (Linux's /proc/self), imports what
the job needs (openpyxl and pandas count against the export), runs the job once and reports
its wall time (the job only, not the imports, which a server pays once) and the growth of
its peak resident memory over where it started. tracemalloc would miss what C extensions
allocate (lxml, the database driver, numpy) and slow the timing; the process's peak catches
everything. The report gives
the medians of `--runs` runs of each, their ratio and the export's growth over the floor's,
against the targets: export <= 12 x the floor, growth <= 64 MB more than the floor's.

The data: bench/rank.py's N candidates (with interviews, assessments, skills...) built the
same way, plus what the workbook shows and the ranking does not need: 120 companies with 300
needs, obstacles on most assessments, shortlists of 25 for 80 needs with their pipeline, a
support action for most obstacles, and 60 training courses with an enrolment for one
candidate in four (each built on its own when a database built before them has none). Built
once, reused by later runs of the same N; `--rebuild` builds it again. Only ever writes to a
database whose name contains "bench"; never use the ranking's `focus_bench`, whose data this
adds to.
"""

import argparse
import csv
import gc
import json
import os
import random
import statistics
import subprocess  # runs the portal's own commands, fixed arguments # nosec B404
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rank  # bench/rank.py: the same database handling and candidates
from _common import at_most, how_built

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/focus_bench_export"
EXTRA_MARKER = "bench-export-office"  # the organisation of the export's user: extras built
TARGET_RATIO = 12.0
TARGET_GROWTH_MB = 64.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000, help="candidates N")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (at least 5)")
    parser.add_argument("--full", action="store_true", help="time the full-data version")
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build it anew")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated data")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    parser.add_argument("--job", choices=["floor", "export"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.runs < 5:
        parser.error("--runs must be at least 5")
    return arguments


# The data ------------------------------------------------------------------------------------


def _extras(seed: int) -> None:
    """Companies, needs, obstacles and shortlists on top of rank.py's data, with bulk
    inserts; texts typed by people include a few that start like formulas."""
    from django.db import transaction
    from django.utils import timezone
    from stdnum import luhn

    from accounts.models import Organisation, User
    from candidates.models import Candidate
    from catalog.models import Comune, JobProfile
    from companies.models import Company, Need, SurveyCampaign
    from interviews.models import Assessment, Obstacle
    from matching.models import Entry, PipelineEvent, Shortlist

    rng = random.Random(seed + 1)  # noqa: S311 - made-up data, not secrets # nosec B311
    today = timezone.localdate()
    with transaction.atomic():
        office = Organisation.objects.create(
            name="Bench office", code=EXTRA_MARKER, kind="programme"
        )
        staff = User.objects.create_user(
            "bench-export-staff", "staff@example.org", None, role="staff", organisation=office
        )
        campaigns = [
            SurveyCampaign.objects.create(
                name=f"Bench campaign {year}",
                opens_on=today.replace(year=year, month=1, day=1),
                closes_on=today.replace(year=year, month=12, day=31),
                status="closed" if year < today.year else "open",
            )
            for year in (today.year - 1, today.year)
        ]
        companies = []
        for number in range(120):
            organisation = Organisation.objects.create(
                name=("=SUM(A1) " if number == 7 else "") + f"Bench Meccanica {number} S.r.l.",
                code=f"bench-export-company-{number}",
                kind="company",
            )
            base = f"{8000000 + number:07d}016"
            companies.append(
                Company.objects.create(
                    organisation=organisation, partita_iva=base + luhn.calc_check_digit(base)
                )
            )
        profiles = list(JobProfile.objects.values_list("pk", flat=True))
        comuni = list(Comune.objects.filter(province="BG").values_list("pk", flat=True))
        needs, seen = [], set()
        while len(needs) < 300:
            key = (rng.choice(companies).pk, rng.choice(campaigns).pk, rng.choice(profiles))
            workplace = rng.choice(comuni)
            if (*key, workplace) in seen:
                continue
            seen.add((*key, workplace))
            needs.append(
                Need(
                    company_id=key[0],
                    campaign_id=key[1],
                    profile_id=key[2],
                    workplace_id=workplace,
                    headcount=rng.randint(1, 8),
                    contract=rng.choice(Need.Contract.values),
                    status=rng.choice(["open"] * 7 + ["filled"] * 2 + ["cancelled"]),
                    notes=rng.choice(["", "", "Turni a ciclo continuo", "-5 posti dal 2025"]),
                )
            )
        needs = Need.objects.bulk_create(needs)
        obstacles = []
        for assessment in Assessment.objects.values_list("pk", flat=True).iterator():
            for kind in rng.sample(Obstacle.Kind.values, rng.choice([0, 1, 1, 2, 3])):
                obstacles.append(
                    Obstacle(assessment_id=assessment, kind=kind, severity=rng.randint(1, 3))
                )
        # The ranking benchmark's data gave some assessments obstacles already: one of each
        # kind an assessment, as the portal keeps them.
        Obstacle.objects.bulk_create(obstacles, batch_size=rank.BATCH, ignore_conflicts=True)
        pool = list(
            Candidate.objects.filter(status__in=["interviewed", "shortlisted", "placed"])
            .order_by("?")
            .values_list("pk", flat=True)[:5000]
        )
        shortlists = Shortlist.objects.bulk_create(
            Shortlist(need=need, created_by=staff, shared_at=None) for need in needs[:80]
        )
        entries = [
            Entry(
                shortlist=shortlist,
                candidate_id=candidate,
                code=f"B-{shortlist.pk:04d}{position:02d}",
                score=rng.randint(300, 950) / 10,
                status=rng.choice(Entry.Status.values),
                added_by=staff,
            )
            for shortlist in shortlists
            for position, candidate in enumerate(rng.sample(pool, 25))
        ]
        entries = Entry.objects.bulk_create(entries, batch_size=rank.BATCH)
        PipelineEvent.objects.bulk_create(
            (PipelineEvent(entry=entry, to_status=entry.status, by=staff) for entry in entries),
            batch_size=rank.BATCH,
        )


def _support_extras(seed: int) -> None:
    """A support action for four obstacles in five, with bulk inserts: its kind, status,
    dates, cost and funding channel drawn at random, followed by the export's user or by
    the candidate's centre; texts typed by people include a few that start like formulas."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from interviews.models import Obstacle
    from training.models import FundingChannel, SupportAction

    rng = random.Random(seed + 2)  # noqa: S311 - made-up data, not secrets # nosec B311
    today = timezone.localdate()
    staff = User.objects.get(username="bench-export-staff")
    channels = [None, *FundingChannel.objects.values_list("pk", flat=True)]
    obstacles = Obstacle.objects.values_list(
        "pk",
        "kind",
        "assessment__interview__candidate_id",
        "assessment__interview__candidate__centre_id",
    ).order_by("pk")
    # The kinds of support that address each kind of obstacle.
    supports = {
        kind: [support for support, covers in SupportAction.ADDRESSES.items() if kind in covers]
        for kind in Obstacle.Kind.values
    }
    with transaction.atomic():
        actions, addressed = [], []
        for obstacle, kind, candidate, centre in obstacles.iterator(chunk_size=rank.BATCH):
            if rng.random() >= 0.8:
                continue
            status = rng.choice(SupportAction.Status.values)
            starts = today - datetime.timedelta(days=rng.randint(0, 300))
            final = status in SupportAction.FINAL
            owner = rng.random() < 0.5
            actions.append(
                SupportAction(
                    candidate_id=candidate,
                    kind=rng.choice(supports[kind]),
                    owner=staff if owner else None,
                    partner_id=None if owner else centre,
                    provider=rng.choice(["", "ATB Bergamo", "=1+1 Cooperativa", "Asilo nido"]),
                    starts_on=starts,
                    due_on=starts + datetime.timedelta(days=rng.randint(7, 90)),
                    cost=rng.choice([None, 16, 45, 120, 300, 1200]),
                    funding_id=rng.choice(channels),
                    status=status,
                    finished_on=starts + datetime.timedelta(days=30) if final else None,
                    outcome=rng.choice(["Fatto", "-2 giorni di ritardo"]) if final else "",
                    created_by=staff,
                )
            )
            addressed.append(obstacle)
        actions = SupportAction.objects.bulk_create(actions, batch_size=rank.BATCH)
        through = SupportAction.obstacles.through
        through.objects.bulk_create(
            (
                through(supportaction_id=action.pk, obstacle_id=obstacle)
                for action, obstacle in zip(actions, addressed, strict=True)
            ),
            batch_size=rank.BATCH,
        )


def _course_extras(seed: int) -> None:
    """60 courses (of every status, most hosted by a company, with a channel and a cost per
    seat) and an enrolment on one of them for one candidate in four, with bulk inserts; its
    status, attendance and reason drawn at random, some titles starting like formulas."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from candidates.models import Candidate
    from catalog.models import Certification, JobProfile
    from companies.models import Company
    from training.models import Course, Enrolment, FundingChannel

    rng = random.Random(seed + 3)  # noqa: S311 - made-up data, not secrets # nosec B311
    today = timezone.localdate()
    staff = User.objects.get(username="bench-export-staff")
    channels = [None, *FundingChannel.objects.values_list("pk", flat=True)]
    companies = [None, *Company.objects.values_list("pk", flat=True)[:40]]
    profiles = list(JobProfile.objects.values_list("pk", flat=True))
    certifications = list(Certification.objects.values_list("pk", flat=True))
    with transaction.atomic():
        courses = Course.objects.bulk_create(
            Course(
                title=rng.choice(["Carrellisti", "Saldatura", "Italiano A2", "=1+1 Sicurezza"]),
                host_id=rng.choice(companies),
                seats=rng.choice([8, 12, 20]),
                cost_per_seat=rng.choice([None, 150, 400, 900]),
                funding_id=rng.choice(channels),
                status=status,
                completed_on=today if status == Course.Status.COMPLETED else None,
                created_by=staff,
            )
            for status in (rng.choice(Course.Status.values) for _ in range(60))
        )
        Course.profiles.through.objects.bulk_create(
            Course.profiles.through(course_id=course.pk, jobprofile_id=rng.choice(profiles))
            for course in courses
        )
        Course.certifications.through.objects.bulk_create(
            Course.certifications.through(
                course_id=course.pk, certification_id=rng.choice(certifications)
            )
            for course in courses
            if rng.random() < 0.5
        )
        enrolments = []
        candidates = Candidate.objects.values_list("pk", flat=True).order_by("pk")
        for candidate in candidates.iterator(chunk_size=rank.BATCH):
            if rng.random() >= 0.25:
                continue
            status = rng.choice(Enrolment.Status.values)
            finished = status not in Enrolment.ACTIVE
            enrolments.append(
                Enrolment(
                    course=rng.choice(courses),
                    candidate_id=candidate,
                    status=status,
                    drop_reason=rng.choice(Enrolment.DropReason.values)
                    if status == Enrolment.Status.DROPPED
                    else "",
                    attended_percent=rng.randint(0, 100) if finished else None,
                    finished_on=today - datetime.timedelta(days=rng.randint(0, 200))
                    if finished
                    else None,
                    proposed_by=staff,
                )
            )
        Enrolment.objects.bulk_create(enrolments, batch_size=rank.BATCH)


def _prepare(arguments: argparse.Namespace, url: str) -> str:
    if rank._settings_of(url)["NAME"] == "focus_bench":
        sys.exit("focus_bench is the ranking benchmark's database: use another *bench* name.")
    build_s = rank.data_ready(
        url, candidates=arguments.candidates, seed=arguments.seed, rebuild=arguments.rebuild
    )
    from accounts.models import Organisation
    from training.models import Course, SupportAction

    start = time.perf_counter()
    extras = not Organisation.objects.filter(code=EXTRA_MARKER).exists()
    if extras:
        _extras(arguments.seed)
    supports = extras or not SupportAction.objects.exists()
    if supports:
        _support_extras(arguments.seed)
    courses = extras or not Course.objects.exists()
    if courses:
        _course_extras(arguments.seed)
    if supports or courses:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        return how_built((build_s or 0) + time.perf_counter() - start)
    return how_built(None)


# One run, in a process of its own --------------------------------------------------------------


def _job(kind: str, full: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focus.settings")
    sys.path.insert(0, str(rank.ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log
    started_kb = _memory_kb(reset_peak=True)
    from accounts.models import User
    from reports import exporting
    from reports.figures import Period

    if kind == "export":
        import openpyxl  # noqa: F401 - imported before the timer, as a server has it
        import pandas  # noqa: F401
    actor, period = User.objects.get(username="bench-export-staff"), Period()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        if kind == "floor":
            rows = _floor(Path(folder) / "floor.csv", actor, period, full)
        else:
            counts = exporting.workbook_write(
                Path(folder) / "export.xlsx", actor=actor, period=period, full=full
            )
            rows = sum(counts.values())
        elapsed = (time.perf_counter() - start) * 1000
    peak_kb = _memory_kb()
    print(json.dumps({"ms": elapsed, "growth_mb": (peak_kb - started_kb) / 1024, "rows": rows}))


def _memory_kb(*, reset_peak: bool = False) -> int:
    """The resident memory now (after resetting the peak) or its peak since the reset (Linux:
    VmRSS and VmHWM; "5" in clear_refs resets the peak, which the set-up's imports raise
    higher than a small job ever goes)."""
    if reset_peak:
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(status["VmRSS" if reset_peak else "VmHWM"].split()[0])


def _floor(path: Path, actor, period, full: bool) -> int:
    from reports import exporting

    groups, _assessed = exporting.obstacle_groups(actor, period)
    querysets = [
        exporting.need_rows(actor, period),
        exporting.candidate_rows(actor, period, full=full),
        exporting.assessment_rows(actor, period),
        groups,
        exporting.entry_rows(actor, period),
        exporting.support_action_rows(actor, period, full=full),
        exporting.support_obstacle_rows(actor, period),
        exporting.enrolment_rows(actor, period),
    ]
    rows = 0
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        for queryset in querysets:
            for row in queryset.iterator(chunk_size=exporting.CHUNK_SIZE):
                writer.writerow(row)
                rows += 1
    return rows


def _run(kind: str, arguments: argparse.Namespace, url: str) -> dict:
    command = [sys.executable, __file__, "--job", kind, *(["--full"] if arguments.full else [])]
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 # nosec B603
    if done.returncode:
        sys.exit(f"The {kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(arguments: argparse.Namespace, url: str) -> dict:
    """Warm-up runs of each (the database's caches), then the runs alternated, so that a
    slow spell of a shared machine hits both."""
    _run("floor", arguments, url)
    _run("export", arguments, url)
    runs = {"floor": [], "export": []}
    for _ in range(arguments.runs):
        for kind in runs:
            runs[kind].append(_run(kind, arguments, url))
    figures = {}
    for kind, results in runs.items():
        figures[f"{kind}_ms"] = round(statistics.median(r["ms"] for r in results), 1)
        figures[f"{kind}_growth_mb"] = round(max(r["growth_mb"] for r in results), 1)
        figures[f"{kind}_rows"] = results[0]["rows"]
    figures["ratio"] = round(figures["export_ms"] / figures["floor_ms"], 2)
    figures["extra_mb"] = round(figures["export_growth_mb"] - figures["floor_growth_mb"], 1)
    return figures


def _report(arguments: argparse.Namespace, built: str, figures: dict) -> None:
    import openpyxl
    from django.db import connection

    from reports.exporting import SHEETS

    print(
        f"Workbook export benchmark, PostgreSQL {connection.pg_version // 10000}, database "
        f"{connection.settings_dict['NAME']}, lxml {'yes' if openpyxl.LXML else 'no'}"
    )
    version = "full" if arguments.full else "pseudonymised"
    print(f"candidates: {arguments.candidates} ({built}); {version} version")
    print(f"medians of {arguments.runs} runs, each in a fresh process; peak = max RSS growth:")
    print(
        f"  floor (csv.writer, same querysets): {figures['floor_ms']:9.1f} ms  "
        f"peak +{figures['floor_growth_mb']:6.1f} MB  {figures['floor_rows']} rows"
    )
    print(
        f"  workbook export ({len(SHEETS)} sheets):         {figures['export_ms']:9.1f} ms  "
        f"peak +{figures['export_growth_mb']:6.1f} MB  {figures['export_rows']} rows"
    )
    print(
        f"ratio export/floor: {figures['ratio']:.2f} "
        f"(target {at_most(figures['ratio'], TARGET_RATIO)}); "
        f"memory over the floor: {figures['extra_mb']:+.1f} MB "
        f"(target {at_most(figures['extra_mb'], TARGET_GROWTH_MB)})"
    )


def main() -> None:
    arguments = _arguments()
    if arguments.job:
        _job(arguments.job, arguments.full)
        return
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    built = _prepare(arguments, url)
    figures = {"candidates": arguments.candidates, **_measure(arguments, url)}
    if arguments.json:
        print(json.dumps(figures))
        return
    _report(arguments, built, figures)


if __name__ == "__main__":
    main()
