"""The candidates' Excel import against the floor of writing the same people in bulk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focus_bench_import \\
        .venv/bin/python bench/import.py [--rows 5000] [--services 300]

Builds a workbook of `--rows` people made from the import's own template columns (names,
codici fiscali that agree with sex and birth date, comuni of the programme's provinces,
languages, jobs, skills, certifications, consents; one in five a draft with only a name
and a phone), then times, in the same run, on PostgreSQL:

- pandas `read_excel` of the file (how long merely reading it takes);
- the import (`import_candidates`: parse, check, write), its reading of the file alone
  (`read_workbook`) and the number of queries it makes;
- the floor: the same people, as read, written with `bulk_create` and their links (status
  history, consents' log, skills, languages, jobs, certifications), through the portal's
  managers, which write the audit events of bulk writes too;
- the same people known (imported first), a file changing each of them imported again (the
  updates, `KnownCandidates`), against the floor of the same changes written with
  `bulk_update` (the candidates, their languages' levels, their years of each job).

Each is rolled back, so the database holds only the reference data and the centre.
`--services N` times, at N rows, the way every row went through the services one by one
(by making every row look like a possible duplicate, which sends it there), for the figure
"before". It only ever writes to a database whose name contains "bench", and creates it
when it is missing.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

from _common import at_most, captured_queries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/focus_bench_import"
TARGET_RATIO = 2.0  # the import's checks and writes within twice the floor's time
MONTHS = "ABCDEHLMPRST"  # the codice fiscale's letters of the months
LETTERS = "BCDFGLMNPRSTVZ"
FIRST_NAMES = ("Fatima", "Amadou", "Ion", "Maria", "Youssef", "Elena", "Mohamed", "Aisha")
LAST_NAMES = ("Benali", "Diallo", "Popescu", "Rossi", "El Amrani", "Kone", "Sow", "Bianchi")
COUNTRIES = (("Marocco", "Z330"), ("Senegal", "Z343"), ("Romania", "Z129"), ("Italia", ""))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--services", type=int, default=0, help="also time the row-by-row way at this many rows"
    )
    return parser.parse_args()


def _database_ready(url: str) -> None:
    """The benchmark's database, created when missing, migrated, with the reference data."""
    import rank  # bench/rank.py: the same database handling

    database = rank._settings_of(url)
    from psycopg2 import sql

    server = rank._connect(database, "postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    server.close()
    rank._django(url)
    from django.core.management import call_command

    from catalog.models import Comune

    if not Comune.objects.exists():
        call_command("load_reference", verbosity=0)


def _centre():
    from accounts.models import Organisation, User

    centre, _ = Organisation.objects.get_or_create(
        code="bench-import-centre", defaults={"name": "Benchmark centre", "kind": "centre"}
    )
    caseworker = User.objects.filter(username="bench-import-caseworker").first()
    if caseworker is None:
        caseworker = User.objects.create_user(
            "bench-import-caseworker",
            "bench-import@example.org",
            None,
            role=User.Role.CASEWORKER,
            organisation=centre,
        )
    return centre, caseworker


def _code(n: int, sex: str, birth: datetime.date, place: str) -> str:
    from stdnum.it import codicefiscale

    letters = ""
    for _ in range(6):
        n, digit = divmod(n, len(LETTERS))
        letters += LETTERS[digit]
    day = birth.day + (40 if sex == "F" else 0)
    first15 = f"{letters}{birth.year % 100:02d}{MONTHS[birth.month - 1]}{day:02d}{place}"
    return first15 + codicefiscale.calc_check_digit(first15)


def _rows(n: int, rng: random.Random) -> list[list]:
    """The template's headers and `n` people, as a caseworker fills them in."""
    from candidates.importing import CANDIDATES
    from catalog.models import Certification, Comune, JobProfile, Skill

    headers = [column.header for column in CANDIDATES.columns]
    comuni = list(Comune.objects.filter(province="BG").values_list("name", flat=True))
    comuni = [name for name in comuni if comuni.count(name) == 1][:200]
    profiles = list(JobProfile.objects.filter(is_active=True).values_list("code", flat=True))
    skills = list(Skill.objects.filter(is_active=True).values_list("code", flat=True))
    certificates = list(Certification.objects.filter(is_active=True).values_list("code", flat=True))
    rows = [headers]
    for i in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        first = f"{first} {''.join(LETTERS[(i // 14**k) % 14] for k in range(4))}"
        if i % 5 == 4:  # a draft: a name and a phone
            row = {"Nome": first, "Cognome": last, "Telefono": f"347 {i:07d}"}
        else:
            sex = rng.choice("FM")
            birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(13000))
            country, place = rng.choice(COUNTRIES)
            row = {
                "Nome": first,
                "Cognome": last,
                "Data di nascita": birth.strftime("%d/%m/%Y"),
                "Paese di nascita": country,
                "Cittadinanza": country,
                "Codice fiscale": _code(i, sex, birth, place or "A794"),
                "Comune di residenza": rng.choice(comuni),
                "Indirizzo": f"Via Roma {i}",
                "Telefono": f"333 {i:07d}",
                "E-mail": f"persona.{i}@example.org",
                "Operatore": "bench-import-caseworker",
                "Livello di italiano": rng.choice(("A2", "B1", "B2", "madrelingua")),
                "Altre lingue": "arabo madrelingua, francese B2" if i % 2 else "inglese B1",
                "Titolo di studio": rng.choice(("licenza media", "diploma", "qualifica")),
                "Esperienze": "; ".join(
                    f"{code}:{rng.randint(0, 9)}" for code in rng.sample(profiles, 2)
                ),
                "Competenze": "; ".join(rng.sample(skills, 3)),
                "Certificazioni": f"{rng.choice(certificates)}:10/02/2024",
                "Patenti": "B",
                "Auto propria": rng.choice(("sì", "no")),
                "Mezzi pubblici": "sì",
                "Km massimi": rng.randint(5, 60),
                "Orario": "tempo pieno",
                "Turni": "due turni",
                "Permesso di soggiorno": "lavoro" if place not in ("", "Z129") else None,
                "Scadenza permesso": "30/06/2028" if place not in ("", "Z129") else None,
                "Consenso programma": "sì",
                "Consenso matching": "sì",
                "Consenso profilo anonimo": rng.choice(("sì", "no")),
            }
        rows.append([row.get(header) for header in headers])
    return rows


def _workbook(rows: list[list]) -> bytes:
    from candidates.importing import TITLE
    from tests.spreadsheets.workbooks import xlsx_bytes

    return xlsx_bytes({TITLE: rows})


def _timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def _rolled_back(run):
    """`run()` in a transaction rolled back afterwards: its time, result and queries."""
    from django.db import transaction

    holder = {}

    def measured():
        with transaction.atomic():
            holder["seconds"], holder["result"] = _timed(run)
            transaction.set_rollback(True)

    queries = captured_queries(measured)
    return holder["seconds"], holder["result"], len(queries)


def _file(content: bytes):
    from tests.spreadsheets.workbooks import upload

    return upload(content, "candidati.xlsx")


def _import(content: bytes, centre, actor):
    from candidates.importing import import_candidates

    report = import_candidates(_file(content), centre=centre, actor=actor, dry_run=False)
    if not report.ok:
        sys.exit(f"The benchmark's file did not import: {report.errors[:3]}")
    return report


def _floor(content: bytes, centre, actor) -> int:
    """The people of the file as read, and their links, written with bulk_create."""
    from django.conf import settings

    from candidates.importing import CANDIDATE_FIELDS, SPECS, TITLE
    from candidates.models import (
        Candidate,
        CandidateCertification,
        CandidateLanguage,
        CandidateSkill,
        ConsentRecord,
        Experience,
        StatusChange,
    )
    from candidates.services import CONSENT_FIELDS
    from focus.spreadsheets import read_workbook

    parsed = read_workbook(_file(content), SPECS)
    values = [row.values for row in parsed.rows[TITLE]]
    people = []
    for row in values:
        fields = {name: row[name] for name in CANDIDATE_FIELDS if name in row}
        fields.pop("caseworker", None)
        people.append(
            Candidate(
                **fields,
                codice_fiscale=row.get("codice_fiscale") or "",
                centre=centre,
                created_by=actor,
                caseworker=actor,
                status="registered" if row.get("consent_programme") else "draft",
                **{field: bool(row.get(field)) for field in CONSENT_FIELDS.values()},
            )
        )
    Candidate.objects.bulk_create(people, batch_size=1000)
    links = {model: [] for model in (StatusChange, ConsentRecord, CandidateSkill)}
    links.update({CandidateLanguage: [], Experience: [], CandidateCertification: []})
    for person, row in zip(people, values, strict=True):
        links[StatusChange].append(
            StatusChange(candidate=person, to_status="draft", changed_by=actor)
        )
        if person.status != "draft":
            links[StatusChange].append(
                StatusChange(
                    candidate=person, from_status="draft", to_status=person.status, changed_by=actor
                )
            )
        links[ConsentRecord] += [
            ConsentRecord(
                candidate=person,
                purpose=purpose,
                granted=True,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                recorded_by=actor,
            )
            for purpose, field in CONSENT_FIELDS.items()
            if getattr(person, field)
        ]
        links[CandidateSkill] += [
            CandidateSkill(candidate=person, skill=skill) for skill in row.get("skills") or ()
        ]
        links[CandidateLanguage] += [
            CandidateLanguage(candidate=person, language=code, level=level)
            for code, level in row.get("languages") or ()
        ]
        links[Experience] += [
            Experience(candidate=person, profile=profile, description=text, years=years)
            for profile, text, years in row.get("experiences") or ()
        ]
        links[CandidateCertification] += [
            CandidateCertification(candidate=person, certification=item, obtained_on=obtained)
            for item, obtained in row.get("certifications") or ()
        ]
    for model, objs in links.items():
        model.objects.bulk_create(objs, batch_size=1000)
    return len(people)


def _services(content: bytes, centre, actor) -> float:
    """The import with every row sent through the services one by one (as before the bulk
    writes): every row looks like a possible duplicate."""
    from unittest import mock

    from candidates.selectors import IdentityIndex

    with mock.patch.object(IdentityIndex, "may_match", return_value=True):
        seconds, _report, _queries = _rolled_back(lambda: _import(content, centre, actor))
    return seconds


def _changed(rows: list[list]) -> list[list]:
    """The same people, each with a new address; the complete ones with better Italian,
    their languages' levels raised and a year more of each job: what a centre's file brings
    a few months on."""
    headers = rows[0]
    at = {header: index for index, header in enumerate(headers)}
    changed = [headers]
    for i, row in enumerate(rows[1:]):
        row = list(row)
        row[at["Indirizzo"]] = f"Via Nuova {i}"
        if row[at["Livello di italiano"]]:
            row[at["Livello di italiano"]] = "C1"
            row[at["Altre lingue"]] = "arabo madrelingua, francese C1" if i % 2 else "inglese B2"
            jobs = [item.split(":") for item in row[at["Esperienze"]].split("; ")]
            row[at["Esperienze"]] = "; ".join(f"{code}:{int(years) + 1}" for code, years in jobs)
        changed.append(row)
    return changed


def _update_floor(content: bytes, centre) -> int:
    """The people of the file as read, found by codice fiscale or name, and their links,
    written with bulk_update (the same fields and rows the import writes)."""
    from candidates.importing import CANDIDATE_FIELDS, SPECS, TITLE
    from candidates.models import Candidate, CandidateLanguage, Experience
    from candidates.selectors import name_key
    from candidates.services import KnownCandidates
    from focus.spreadsheets import read_workbook

    parsed = read_workbook(_file(content), SPECS)
    people = Candidate.objects.filter(centre=centre).prefetch_related("languages", "experiences")
    by_key = {}
    for person in people:
        by_key[person.codice_fiscale or name_key(person.first_name, person.last_name, None)] = (
            person
        )
    fields = [name for name in CANDIDATE_FIELDS if name != "residence_comune"]
    changed, languages, experiences = [], [], []
    for row in parsed.rows[TITLE]:
        values = row.values
        key = values.get("codice_fiscale") or name_key(
            values["first_name"], values["last_name"], None
        )
        person = by_key[key]
        for name in fields:
            if name in values:
                setattr(person, name, values[name])
        changed.append(person)
        levels = dict(values.get("languages") or ())
        for language in person.languages.all():
            if language.language in levels:
                language.level = levels[language.language]
                languages.append(language)
        years = {(p.pk if p else None, d): y for p, d, y in values.get("experiences") or ()}
        for experience in person.experiences.all():
            if (experience.profile_id, experience.description) in years:
                experience.years = years[(experience.profile_id, experience.description)]
                experiences.append(experience)
    batch = KnownCandidates.UPDATE_BATCH_SIZE  # as the import's
    Candidate.objects.bulk_update(changed, fields, batch_size=batch)
    CandidateLanguage.objects.bulk_update(languages, ["level"], batch_size=batch)
    Experience.objects.bulk_update(experiences, ["years"], batch_size=batch)
    return len(changed)


def _updates(content: bytes, changed: bytes, centre, actor) -> tuple[float, float, int, object]:
    """The file imported, then, in the same transaction rolled back afterwards, the changed
    file imported (the people known) and the floor of the same changes: the import's time
    and queries, the floor's time, the import's report."""
    from django.db import transaction

    holder = {}

    def measured():
        holder["seconds"], holder["report"] = _timed(lambda: _import(changed, centre, actor))

    with transaction.atomic():
        _import(content, centre, actor)
        queries = captured_queries(measured)
        holder["floor"], _count = _timed(lambda: _update_floor(changed, centre))
        transaction.set_rollback(True)
    return holder["seconds"], holder["floor"], len(queries), holder["report"]


def main() -> None:
    arguments = _arguments()
    _database_ready(os.environ.get("DATABASE_URL", DEFAULT_URL))
    import pandas
    from django.db import connection

    from candidates.importing import SPECS
    from focus.spreadsheets import read_workbook

    centre, actor = _centre()
    rng = random.Random(arguments.seed)  # noqa: S311 - made-up people # nosec B311
    content = _workbook(_rows(arguments.rows, rng))
    n = arguments.rows

    pandas_s, _frame = _timed(lambda: pandas.read_excel(io.BytesIO(content)))
    parse_s, _parsed = _timed(lambda: read_workbook(_file(content), SPECS))
    import_s, report, import_q = _rolled_back(lambda: _import(content, centre, actor))
    floor_s, _count, floor_q = _rolled_back(lambda: _floor(content, centre, actor))
    write_s = import_s - parse_s
    floor_write_s = floor_s - parse_s  # the floor reads the file too

    print(
        f"Candidates' import, {n} rows ({len(content) / 1e6:.1f} MB), "
        f"PostgreSQL {connection.pg_version // 10000}"
    )
    print(f"  created {sum(report.created.values())}: {report.summary()}")
    print(f"  pandas read_excel        {pandas_s:8.2f} s")
    print(f"  import: parse            {parse_s:8.2f} s   ({parse_s / pandas_s:.2f} x pandas)")
    print(f"  import: checks + writes  {write_s:8.2f} s")
    print(
        f"  import: whole            {import_s:8.2f} s   "
        f"{import_q} queries, {import_q / n:.3f} a row"
    )
    print(f"  floor: bulk_create       {floor_write_s:8.2f} s   {floor_q} queries")
    ratio = write_s / floor_write_s
    print(
        f"  checks + writes / floor  {ratio:8.2f}     {at_most(ratio, TARGET_RATIO)} "
        f"(writing at {100 / ratio:.0f}% of the floor's speed)"
    )
    print(f"  whole import / floor with its parse {import_s / floor_s:.2f}")
    rows = _rows(n, random.Random(arguments.seed))  # noqa: S311 # nosec B311
    changed = _workbook(_changed(rows))
    changed_parse, _parsed = _timed(lambda: read_workbook(_file(changed), SPECS))
    update_s, update_floor_s, update_q, updated = _updates(content, changed, centre, actor)
    update_write_s = update_s - changed_parse
    update_floor_write_s = update_floor_s - changed_parse
    print(f"  updated {sum(updated.updated.values())} known people: {updated.summary()}")
    print(
        f"  update: checks + writes  {update_write_s:8.2f} s   "
        f"{update_q} queries, {update_q / n:.3f} a row"
    )
    print(f"  floor: bulk_update       {update_floor_write_s:8.2f} s")
    update_ratio = update_write_s / update_floor_write_s
    if arguments.services:
        small = _workbook(_rows(arguments.services, random.Random(arguments.seed)))  # noqa: S311 # nosec B311
        small_parse, _parsed = _timed(lambda: read_workbook(_file(small), SPECS))
        row_by_row = _services(small, centre, actor) - small_parse
        per_row = row_by_row / arguments.services
        print(
            f"  row by row through the services, {arguments.services} rows: "
            f"{row_by_row:.2f} s ({per_row * 1000:.1f} ms a row, {per_row * n:.0f} s at {n})"
        )

    print(
        f"import: parse {parse_s / pandas_s:.2f}x read_excel, write {100 / ratio:.0f}% of "
        f"bulk_create, update {100 / update_ratio:.0f}% of bulk_update"
    )


if __name__ == "__main__":
    main()
