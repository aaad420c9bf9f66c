"""Benchmark of the portal's search (search.selectors.portal_search) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench_search \\
        .venv/bin/python bench/search.py [--candidates 100000] [--searches 200] [--analyze]

Times `--searches` searches of the search page, as a matching officer makes them (every group:
candidates, companies, needs, shortlisted candidates), in four kinds of text typed: surnames
as spelt (alone or with the first name), surnames misspelt by one letter, codici fiscali
(whole or their first eight characters) and phone numbers (whole, or their last digits).
Beside each search, in the same round, two baselines: a record opened by its number (a
primary-key lookup) and the candidate list's search as it was before the portal's search
(the names compared with `icontains`: no index, no accents, no typos), each reading a count
and the first ten rows by name. The report gives p50 and p95 of each, per kind and overall,
their ratios, and how often the person meant was found.

The data (N candidates in eight centres, 300 companies with 600 needs, 80 shared shortlists
of 25) is built once with bulk inserts and reused by later runs of the same N; `--rebuild`
builds it again. The benchmark only ever writes to a database whose name contains "bench"
(not the ranking's `focus_bench`), and creates it when it is missing.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

import rank as ranking_bench  # the benchmarks' database set-up
from _common import captured_queries, how_built

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/focus_bench_search"
MARKER = "bench-search-v1-"  # + N: the code of the first centre says which set is there
BATCH = 5000
CENTRES = 8
KINDS = ("surname", "misspelt", "codice fiscale", "phone")
MONTHS = "ABCDEHLMPRST"  # the codice fiscale's letters of the months


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000, help="candidates N")
    parser.add_argument("--searches", type=int, default=200, help="searches timed (>= 20)")
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build it anew")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the data and searches")
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE a search a kind")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    arguments = parser.parse_args()
    if arguments.searches < 20:
        parser.error("--searches must be at least 20")
    if arguments.candidates < 1000:
        parser.error("--candidates must be at least 1000")
    return arguments


# The database --------------------------------------------------------------------------------


def _existing_set(database: dict) -> int | None:
    """The N of the data already there; 0 for a database without it; None without one."""
    import psycopg2

    try:
        connection = ranking_bench._connect(database, database["NAME"])
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('accounts_organisation') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute(
                "SELECT code FROM accounts_organisation WHERE code LIKE %s", [MARKER + "%"]
            )
            row = cursor.fetchone()
    finally:
        connection.close()
    return int(row[0].removeprefix(MARKER)) if row else 0


def _database_ready(url: str, *, candidates: int, rebuild: bool) -> bool:
    """Whether the data of N `candidates` is there to reuse; the database is created (or
    dropped and created) when it is not."""
    from psycopg2 import sql

    database = ranking_bench._settings_of(url)
    if database["NAME"] == "focus_bench":
        sys.exit("focus_bench holds the ranking's data: use a database of its own.")
    existing = _existing_set(database)
    if existing == candidates and not rebuild:
        return True
    server = ranking_bench._connect(database, "postgres")
    server.autocommit = True
    name = sql.Identifier(database["NAME"])
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    server.close()
    return False


# The data ------------------------------------------------------------------------------------


def _names() -> tuple[list[str], list[str]]:
    """Surnames and first names of Bergamo and of where the programme's people come from."""
    from faker.providers.person import de_DE, fr_FR, it_IT, ro_RO, tr_TR

    providers = (it_IT, de_DE, fr_FR, ro_RO, tr_TR)
    local = ["Brembilla", "Locatelli", "Pesenti", "Carminati", "Rota", "Cattaneo", "Bonacina"]
    foreign = ["Benali", "Haddad", "Diallo", "Traoré", "Ndiaye", "Okafor", "Mensah", "Gashi"]
    surnames = sorted({*local, *foreign, *(n for p in providers for n in p.Provider.last_names)})
    first = sorted({n for p in providers for n in p.Provider.first_names})
    return surnames, first


def _codice_fiscale(rng: random.Random, last: str, first: str, taken: set) -> str:
    from focus.text import fold

    letters = "".join(c for c in fold(last + first).upper() if c.isalpha()) + "XXXXXX"
    while True:
        code = (
            f"{letters[:6]}{rng.randint(50, 99)}{rng.choice(MONTHS)}"
            f"{rng.randint(1, 31) + rng.choice((0, 40)):02d}"
            f"{rng.choice('ABDFHLZ')}{rng.randint(1, 999):03d}{rng.choice('ABCDEFGHJKLXYZ')}"
        )
        if code not in taken:
            taken.add(code)
            return code


def _phone(rng: random.Random) -> str:
    digits = f"3{rng.randint(20, 99)}{rng.randint(0, 9_999_999):07d}"
    spelt = rng.choice(["{0} {1} {2}", "+39 {0} {1}{2}", "{0}{1}{2}", "{0}-{1}-{2}"])
    return spelt.format(digits[:3], digits[3:6], digits[6:])


def _build(n: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation, User
    from candidates.models import Candidate
    from catalog.models import Comune, JobProfile
    from catalog.services import reference_load
    from companies.models import Company, Need, SurveyCampaign
    from focus.text import fold
    from matching.models import Entry, Shortlist

    if not JobProfile.objects.exists():
        reference_load()
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets # nosec B311
    surnames, first_names = _names()
    with transaction.atomic():
        centres = [
            Organisation.objects.create(
                name=f"Centro {number}",
                code=f"{MARKER}{n}" if number == 0 else f"bs-{number}",
                kind="centre",
            )
            for number in range(CENTRES)
        ]
        office = Organisation.objects.create(name="Ufficio", code="bs-office", kind="programme")
        staff = User.objects.create_user(
            "bench-staff", None, None, role="staff", organisation=office
        )
        comuni = list(Comune.objects.filter(province="BG").values_list("pk", flat=True))
        taken: set[str] = set()
        for start in range(0, n, BATCH):
            batch = []
            for _ in range(min(BATCH, n - start)):
                last, first = rng.choice(surnames), rng.choice(first_names)
                batch.append(
                    Candidate(
                        first_name=first,
                        last_name=last,
                        codice_fiscale=_codice_fiscale(rng, last, first, taken)
                        if rng.random() < 0.9
                        else "",
                        phone=_phone(rng) if rng.random() < 0.85 else "",
                        email=f"{fold(first).replace(' ', '')}.{fold(last).replace(' ', '')}"
                        f"{rng.randint(1, 999)}@example.org"
                        if rng.random() < 0.6
                        else "",
                        centre=rng.choice(centres),
                        residence_comune_id=rng.choice(comuni),
                        status="registered",
                        consent_programme=True,
                        consent_matching=True,
                        consent_share_profile=True,
                    )
                )
            Candidate.objects.bulk_create(batch, batch_size=BATCH)
        campaign = SurveyCampaign.objects.create(
            name="Rilevazione",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            status="open",
        )
        profiles = list(JobProfile.objects.all())
        companies = []
        for number in range(300):
            organisation = Organisation.objects.create(
                name=f"{rng.choice(surnames)} {rng.choice(['Meccanica', 'Plastica', 'Logistica'])}"
                f" {number} S.r.l.",
                code=f"bs-company-{number}",
                kind="company",
            )
            companies.append(
                Company.objects.create(organisation=organisation, partita_iva=f"{number:011d}")
            )
        needs = Need.objects.bulk_create(
            Need(
                company=company,
                campaign=campaign,
                profile=profile,
                workplace_id=rng.choice(comuni),
                contract="fixed_term",
            )
            for company in companies
            for profile in rng.sample(profiles, 2)
        )
        pool = list(Candidate.objects.values_list("pk", flat=True)[:2000])
        for index, need in enumerate(needs[:80]):
            shortlist = Shortlist.objects.create(
                need=need, created_by=staff, shared_at=timezone.now()
            )
            Entry.objects.bulk_create(
                # Codes of their own: 2 000 random ones of six hex digits may meet.
                Entry(
                    shortlist=shortlist,
                    candidate_id=pk,
                    score=70,
                    added_by=staff,
                    code=f"C-{pk:06X}",
                )
                for pk in pool[index * 25 : index * 25 + 25]
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# The searches --------------------------------------------------------------------------------


def _misspelt(rng: random.Random, name: str) -> str:
    """`name` with one slip: a letter left out, doubled, or two letters swapped."""
    at = rng.randint(1, len(name) - 2)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        return name[:at] + name[at + 1 :]
    if slip == "double":
        return name[:at] + name[at] + name[at:]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def _searches(count: int, seed: int) -> list[tuple[str, str, int]]:
    """(kind, text typed, the person meant) for `count` searches, as many of each kind."""
    from candidates.models import Candidate

    rng = random.Random(seed + 1)  # noqa: S311 - made-up data, not secrets # nosec B311
    everyone = Candidate.objects.exclude(codice_fiscale="").exclude(phone="").order_by("pk")
    fields = ("pk", "first_name", "last_name", "codice_fiscale", "phone")
    rows = list(everyone.values_list(*fields))
    people = rng.sample(rows, count)
    # A slip in a short surname makes another name: the misspelt ones are of six letters or more.
    long_names = rng.sample([row for row in rows if len(row[2]) >= 6], count)
    searches = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        pk, first, last, cf, phone = long_names[index] if kind == "misspelt" else people[index]
        if kind == "surname":
            text = last if index % 2 else f"{last} {first}"
        elif kind == "misspelt":
            text = _misspelt(rng, last)
        elif kind == "codice fiscale":
            text = cf if index % 2 else cf[:8]
        else:
            digits = "".join(c for c in phone if c.isdigit())
            text = phone if index % 2 else digits[-7:]
        searches.append((kind, text, pk))
    return searches


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _measure(count: int, seed: int, analyze: bool) -> dict:
    from django.db.models import Q

    from accounts.models import User
    from candidates.models import Candidate
    from candidates.selectors import candidate_list
    from search.selectors import portal_search

    staff = User.objects.get(username="bench-staff")
    searches = _searches(count, seed)

    def by_number(pk: int) -> None:
        Candidate.objects.select_related("centre").get(pk=pk)

    def old_list_search(text: str) -> None:
        rows = Candidate.objects.select_related("centre")
        for word in text.split():
            rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        rows.count()
        list(rows.order_by("last_name", "first_name", "pk")[:10])

    def portal(text: str) -> None:
        portal_search(actor=staff, text=text)

    measures = {"by number": by_number, "old list search": old_list_search, "search": portal}
    times = {name: [] for name in measures}
    kinds = []
    for round_, (kind, text, pk) in enumerate([searches[0], *searches]):
        for name, measure in measures.items():
            start = time.perf_counter()
            measure(pk if name == "by number" else text)
            if round_:  # the first round warms the connection and first-call costs
                times[name].append((time.perf_counter() - start) * 1000)
        if round_:
            kinds.append(kind)
    found = dict.fromkeys(KINDS, 0)
    for kind, text, pk in searches:
        found[kind] += candidate_list(actor=staff, q=text).filter(pk=pk).exists()
    if analyze:
        for kind in KINDS:
            text = next(text for each, text, _pk in searches if each == kind)
            query = captured_queries(lambda text=text: portal(text))[0]  # the candidates'
            print(f"\n-- {kind}: {text!r}, {float(query['time']) * 1000:.1f} ms")
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
    figures = {"queries": len(captured_queries(lambda: portal(searches[0][1])))}
    for name, taken in times.items():
        figures[name] = {"p50": _percentile(taken, 0.5), "p95": _percentile(taken, 0.95)}
    for kind in KINDS:
        taken = [t for t, each in zip(times["search"], kinds, strict=True) if each == kind]
        figures[kind] = {
            "p50": _percentile(taken, 0.5),
            "p95": _percentile(taken, 0.95),
            "found": f"{found[kind]}/{len(taken)}",
        }
    for baseline in ("by number", "old list search"):
        figures[f"ratio to {baseline}"] = round(
            statistics.median(times["search"]) / statistics.median(times[baseline]), 2
        )
    return figures


def _report(candidates: int, built: str, figures: dict) -> None:
    print(f"Search at {candidates:,} candidates (data {built}), PostgreSQL; ms")
    print(f"{'':18} {'p50':>8} {'p95':>8}  found")
    for name in ("by number", "old list search", "search", *KINDS):
        row = figures[name]
        label = name if name in ("by number", "old list search", "search") else f"  {name}"
        print(f"{label:18} {row['p50']:8.1f} {row['p95']:8.1f}  {row.get('found', '')}")
    print(
        f"search / by number: {figures['ratio to by number']}x (p50), "
        f"search / old list search: {figures['ratio to old list search']}x (p50), "
        f"{figures['queries']} queries a search"
    )


def main() -> None:
    arguments = _arguments()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    reuse = _database_ready(url, candidates=arguments.candidates, rebuild=arguments.rebuild)
    ranking_bench._django(url)
    built = None
    if not reuse:
        start = time.perf_counter()
        _build(arguments.candidates, arguments.seed)
        built = time.perf_counter() - start
    figures = _measure(arguments.searches, arguments.seed, arguments.analyze)
    if arguments.json:
        print(json.dumps({"candidates": arguments.candidates, **figures}))
        return
    _report(arguments.candidates, how_built(built), figures)


if __name__ == "__main__":
    main()
