"""Benchmark of the gap page and the training plan against the ranking page, on the ranking
benchmark's data (bench/rank.py builds it: N candidates, one forklift need).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench \\
        .venv/bin/python bench/gap.py [--candidates 100000] [--runs 7] [--needs 12]

To that data it adds, once, `--needs` more open needs of four profiles in other comuni (a
company of its own, "bench-gap-company"), so that the analysis ranks several needs, and a
staff user. It then:

- computes a gap analysis of the benchmark's campaign (what the background task does) and
  reports its time, per need, beside one `rank(need, top=50)`;
- times the three pages as a matching officer opens them, through Django's whole stack
  (test client, session, templates): the ranking page of the benchmark's need (the
  baseline), the gap page and the training plan of the campaign; medians of `--runs` after a
  warm-up, with their number of queries.

The gap page and the plan read the analysis kept in the database, so they should answer in
the same order as the ranking page (the target: at most the ranking page's time) whatever N.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rank as ranking_bench  # the ranking benchmark's data and set-up
from _common import at_most, captured_queries

TARGET_RATIO = 1.0
# The added needs: (profile, mandatory forklift licence, Italian level), in turn, each in the
# next of 13 comuni (a profile never twice in one comune for up to 52 needs).
PROFILES = [
    ("carrellista", True, "A2"),
    ("addetto-magazzino", False, "A2"),
    ("addetto-assemblaggio", False, "A2"),
    ("operatore-pulizie", False, "A1"),
]
# fmt: off
COMUNI = [
    "016024", "016219", "016193", "016153", "016198", "016183", "016075", "016207", "016089",
    "016170", "016053", "016120", "016004",
]  # Bergamo, Treviglio, Sarnico, Osio Sotto, Seriate, Romano, Ciserano, Stezzano, Curno,
#   Ponte San Pietro, Caravaggio, Grumello del Monte, Albino
# fmt: on


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--needs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def _more_needs(count: int):
    """The benchmark's need and `count` more of the same campaign, created once."""
    from stdnum import luhn

    from accounts.models import Organisation
    from catalog.models import Certification, Comune, JobProfile
    from companies.models import Company, Need, NeedCertification

    first = Need.objects.get(company__organisation__code="bench-company")
    organisation, created = Organisation.objects.get_or_create(
        code="bench-gap-company", defaults={"name": "Benchmark Gap S.r.l.", "kind": "company"}
    )
    if created:
        base = "9000002016"
        Company.objects.create(
            organisation=organisation, partita_iva=base + luhn.calc_check_digit(base)
        )
    company = organisation.company
    licence = Certification.objects.get(code="abilitazione-carrelli-elevatori")
    for index in range(company.needs.count(), count):
        profile, mandatory, level = PROFILES[index % len(PROFILES)]
        comune = COMUNI[index % len(COMUNI)]
        need = Need.objects.create(
            company=company,
            campaign=first.campaign,
            profile=JobProfile.objects.get(code=profile),
            workplace=Comune.objects.get(istat_code=comune),
            headcount=2 + index % 3,
            contract=Need.Contract.FIXED_TERM,
            shifts=Need.Shifts.DAY,
            italian_level=level,
            start_date=first.start_date,
        )
        if profile in {"carrellista", "addetto-magazzino"}:
            NeedCertification.objects.create(need=need, certification=licence, mandatory=mandatory)
    return first


def _staff():
    from accounts.models import Organisation, User

    office, _ = Organisation.objects.get_or_create(
        code="bench-office", defaults={"name": "Benchmark office", "kind": "programme"}
    )
    user, _ = User.objects.get_or_create(
        username="bench-staff",
        defaults={
            "role": User.Role.STAFF,
            "organisation": office,
            "organisation_kind": office.kind,
        },
    )
    return user


def _median_ms(run, runs: int) -> float:
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    arguments = _arguments()
    url = ranking_bench.os.environ.get("DATABASE_URL", ranking_bench.DEFAULT_URL)
    ranking_bench.data_ready(
        url, candidates=arguments.candidates, seed=arguments.seed, rebuild=arguments.rebuild
    )
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.testing import logged_in
    from companies.models import Need
    from matching.ranking import rank
    from training.models import GapAnalysis
    from training.services import gap_analyse

    settings.ALLOWED_HOSTS = ["testserver"]
    need = _more_needs(arguments.needs)
    campaign = need.campaign
    staff = _staff()

    open_needs = Need.objects.filter(campaign=campaign, status="open").count()
    start = time.perf_counter()
    analysis = gap_analyse(
        analysis=GapAnalysis.objects.create(campaign=campaign, requested_by=staff)
    )
    analyse_s = time.perf_counter() - start
    rank_ms = _median_ms(lambda: rank(Need.objects.get(pk=need.pk), top=50), arguments.runs)
    entries = analysis.entries.count()

    client = logged_in(Client(), staff)
    pages = {
        "ranking page (baseline)": reverse("matching:need_rank", args=[need.pk]),
        "gap page": f"{reverse('training:gap')}?campaign={campaign.pk}",
        "training plan": f"{reverse('training:plan')}?campaign={campaign.pk}",
    }
    measured = {}
    for label, address in pages.items():
        response = client.get(address)
        if response.status_code != 200:
            sys.exit(f"{address} answered {response.status_code}")
        measured[label] = (
            _median_ms(lambda address=address: client.get(address), arguments.runs),
            len(captured_queries(lambda address=address: client.get(address))),
        )

    name = connection.settings_dict["NAME"]
    print(f"Gap benchmark, database {name}, {arguments.candidates} candidates")
    print(
        f"analysis of {open_needs} open needs: {analyse_s:.2f} s "
        f"({1000 * analyse_s / open_needs:.0f} ms a need; rank(need, top=50) "
        f"{rank_ms:.0f} ms), {entries} ready and near-ready rows kept"
    )
    print(f"pages, medians of {arguments.runs} runs:")
    baseline = measured["ranking page (baseline)"][0]
    for label, (ms, queries) in measured.items():
        print(f"  {label:<24} {ms:8.1f} ms  {queries:3d} queries  {ms / baseline:5.2f}x")
    worst = max(ms for ms, _ in list(measured.values())[1:]) / baseline
    print(
        f"gap and plan against the ranking page: at most {worst:.2f}x "
        f"(target {at_most(worst, TARGET_RATIO)})"
    )
    GapAnalysis.objects.filter(pk=analysis.pk).delete()


if __name__ == "__main__":
    main()
