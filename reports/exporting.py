"""The programme workbook: one sheet per topic, for the programme office.

- Riepilogo: the key figures of `reports.figures.programme_figures` (the dashboard's very
  numbers, never counted twice) with what each counts (`focus.figures.MEANINGS`, the words
  the pages show beside them), and what the file holds;
- Fabbisogni: one row per need that counts as demand (not cancelled), in the campaign;
- Candidati: one row per candidate registered in the period, pseudonymised (see below);
- Colloqui: one row per assessment recorded in the period, with its tranche and class;
- Ostacoli: obstacles found by those assessments, by tranche and kind, per severity;
- Abbinamenti: one row per shortlist entry added in the period, with its status (outcome);
- Supporti: one row per support action proposed in the period, with the obstacles it
  addresses, who follows it, its dates, cost and funding channel;
- Formazione: one row per enrolment on a training course proposed in the period: the course
  (title, host company, funding channel, cost per seat), the candidate's code, how it ended
  (status, attendance, reason for dropping out, the day) and what it granted when completed;
- Finanziamenti: per funding channel, the actions of Supporti not cancelled and their cost,
  committed (open actions) and spent (finished ones): the dashboard's very rows; beside them
  the seats of Formazione filled (proposed, enrolled, completed) on the channel's courses and
  their cost (seats x cost per seat), and the total of both;
- then the charts, native Excel charts of Riepilogo's cells and Finanziamenti's, each on a
  chart sheet of its own (`CHART_SHEETS`), so that each prints on a landscape page, in the
  dashboard's colours (`focus.figures.TONES`; the classes' `interviews.models.CLASS_TONES`,
  which fill the cells of the classes too).

Every sheet prints landscape, one page wide at 60% or more, a table's header row on every
page (`focus.spreadsheets.writing`: long texts wrap, yes or no and small numbers stand under
upright headers); the full version's Candidati, with the identity's eight columns, two pages
wide, its code on both. Yes and no are written as words ("Sì", "No"). Times are Bergamo's
(`EXPORT_TIMEZONE`), whoever downloads the file: an interview's date and time, the day each
thing was recorded, when the file was generated.

A topic of the pathway is a detail sheet and its share of Finanziamenti: each is written the
same way (its columns, a `..._rows` queryset that starts from the user's scope and the
period, a generator of values) and adds its own columns of cost per channel.

The period follows `reports.figures.Period`: the campaign restricts the demand side
(Fabbisogni), the dates the supply side, by the same dates the figures use, so each detail
sheet adds up to its figure in Riepilogo (Candidati to "Candidates registered", the
candidates of Colloqui to "Interviewed", of Abbinamenti to "Shortlisted").

Pseudonymised by default: candidates appear only by a code, on every sheet, and with no name,
contacts, address, codice fiscale, birth date (an age band instead), nationality, nor any of
`Candidate.SENSITIVE_FIELDS`, and a comune of residence only where at least `SMALL_GROUP` of
the sheet's candidates live (else its province); free-text notes about people (candidate,
assessment, obstacle and shortlist notes) are left out too, since anything may be written
there, and so are a support action's provider and outcome (who provides it may be a relative
or a landlord; how it ended is told in words), and an enrolment's note. Formazione names
the candidate by the same code as every sheet, not by the enrolment's code, which the host
company reads on its course's page. The full version
(admin only, with a recorded reason: `reports.services.report_export`) adds the identifying
columns to Candidati, so the codes of the other sheets can be looked up there, and the
provider and outcome to Supporti. An action's note is in neither, like the other notes.
The sensitive fields (health, care, residence permit, social services) are in neither: they
never leave the portal in bulk.

The code is an HMAC of the candidate's id under a key derived from SECRET_KEY: the same
person has the same code in every export (so exports can be compared over time), but the
code reveals neither the id (registration order, which other files carry) nor anything else
without the key; a plain hash of a sequential id could be reversed by trying every id. It is
not the shortlist entry's code, which companies see: the programme's file must not let a
company's cards be joined to it. Rotating SECRET_KEY changes every code.

Headers, sheet names and titles are Italian literals, not translated texts: they are the
file's layout, which the office's own formulas and pivot tables refer to, so they must not
change with the language of whoever downloads it. Values (choices, countries) are written in
the portal's language (LANGUAGE_CODE), as the import templates are.

Scale: the detail sheets stream `values_list` rows from a server-side cursor
(`iterator(chunk_size=...)`) into write-only sheets, building no model instance and making
no query per row; pandas is used only for the small Ostacoli pivot. On PostgreSQL every
sheet reads one snapshot (a REPEATABLE READ, READ ONLY transaction), so the totals agree
even while people keep working.
"""

import datetime
import hashlib
import hmac
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django_countries import countries
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.series import DataPoint
from openpyxl.utils import get_column_letter

from accounts.access import scope
from accounts.models import User
from candidates.filters import between, registered
from candidates.models import Candidate, age_band
from catalog.languages import ItalianLevel
from companies.models import Need
from focus.figures import TONES, Figure, Tone
from focus.spreadsheets.writing import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    INTEGER_FORMAT,
    Column,
    StreamingWorkbook,
    Styled,
    Table,
    chart_sheet,
    date,
    date_time,
    decimal,
    header_cells,
    header_height,
    integer,
    money,
    naive_local,
    percent,
    print_setup,
    text,
    text_cell,
    title_cell,
    tone_fill,
    tone_font,
    upright,
    yes_no,
    yes_no_text,
)
from interviews.models import (
    CLASS_TONES,
    PATHWAYS,
    Assessment,
    EmployabilityClass,
    Interview,
    Obstacle,
)
from matching.disclosure import SMALL_GROUP
from matching.models import Entry, Shortlist
from reports.figures import (
    Period,
    ProgrammeFigures,
    TrancheRow,
    course_costs,
    programme_figures,
    support_costs,
)
from training.models import Course, Enrolment, SupportAction
from training.selectors import NO_FUNDING, enrolments, support_actions

SHEETS = (
    "Riepilogo",
    "Fabbisogni",
    "Candidati",
    "Colloqui",
    "Ostacoli",
    "Abbinamenti",
    "Supporti",
    "Formazione",
    "Finanziamenti",
)
# The charts, each on a chart sheet of its own after the tables, in this order.
CHART_SHEETS = (
    "Grafico percorso",
    "Grafico classi",
    "Grafico domanda",
    "Grafico ostacoli",
    "Grafico finanziamenti",
)
CHUNK_SIZE = 2000  # rows fetched at a time from the server-side cursor
CODE_WIDTH = 16  # a candidate's code, "P-" and 12 digits, with the autofilter's button
# The programme's: the file's dates and times are Bergamo's, whoever downloads it and wherever.
EXPORT_TIMEZONE = "Europe/Rome"
CODE_SALT = b"focus.reports.candidate-code"


# Pseudonyms ------------------------------------------------------------------------------------


class CandidateCodes:
    """`codes(pk)` -> "P-" and 12 hex digits (48 bits: no collision to speak of among a few
    hundred thousand people). See the module's docstring for why an HMAC."""

    def __init__(self, secret: str | None = None):
        secret = settings.SECRET_KEY if secret is None else secret
        self._key = hashlib.sha256(CODE_SALT + secret.encode()).digest()

    def __call__(self, pk: int) -> str:
        return "P-" + hmac.digest(self._key, str(pk).encode(), "sha256")[:6].hex().upper()


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


# The workbook ----------------------------------------------------------------------------------


def workbook_write(
    target: str | os.PathLike | IO[bytes], *, actor: User, period: Period, full: bool = False
) -> dict[str, int]:
    """Write the programme workbook of what `actor` may see in `period` to `target`; `full`
    adds the candidates' identifying columns (the caller checks that `actor` may have them).
    Returns the number of rows of each sheet (the summary's rows: its key figures).
    Dates, times and days are those of EXPORT_TIMEZONE."""
    with (
        translation.override(settings.LANGUAGE_CODE),
        timezone.override(EXPORT_TIMEZONE),
        _snapshot(),
    ):
        workbook = StreamingWorkbook()
        sheets = {title: workbook.create_sheet(title) for title in SHEETS}
        charts = {}  # the title of its chart sheet -> chart
        rows = {
            "Fabbisogni": _needs(sheets["Fabbisogni"], actor, period),
            "Candidati": _candidates(sheets["Candidati"], actor, period, full=full),
            "Colloqui": _assessments(sheets["Colloqui"], actor, period),
            "Ostacoli": _obstacles(sheets["Ostacoli"], actor, period),
            "Abbinamenti": _entries(sheets["Abbinamenti"], actor, period),
            "Supporti": _support_actions(sheets["Supporti"], actor, period, full=full),
            "Formazione": _enrolments(sheets["Formazione"], actor, period),
            "Finanziamenti": _funding(sheets["Finanziamenti"], actor, period, charts),
        }
        figures = programme_figures(actor, period)
        rows = {"Riepilogo": len(figures.funnel), **rows}  # the summary's key figures
        _summary(sheets["Riepilogo"], figures, rows, charts, full=full)
        for title in CHART_SHEETS:  # those there are data for
            if title in charts:
                chart_sheet(workbook, title, charts[title])
        workbook.save(target)
    return rows


@contextmanager
def _snapshot() -> Iterator[None]:
    """On PostgreSQL, one read-only snapshot for every sheet. Not within a transaction that
    is already open (its isolation is set), nor on SQLite, whose IMMEDIATE transactions
    (settings) would lock out every writer for as long as the export runs."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# Fabbisogni ------------------------------------------------------------------------------------

# Twenty columns on a landscape page: the texts wrap, the short values stand under upright
# headers (`focus.spreadsheets.writing`), so it prints at 60% or more however long they are.
NEED_COLUMNS = (
    text("Rilevazione", 16),
    text("Azienda", 20),
    text("Partita IVA", 13),
    text("Profilo", 23),
    text("Comune di lavoro", 14),
    upright(text("Provincia", 5)),
    upright(integer("Persone richieste", 6)),
    text("Contratto", 15),
    text("Orario", 12),
    text("Turni", 13),
    yes_no("Notturno"),
    yes_no("Festivi"),
    upright(text("Italiano minimo", 8)),
    upright(text("Patente richiesta", 6)),
    yes_no("Auto richiesta"),
    upright(integer("Durata (mesi)", 6)),
    upright(integer("Anni di esperienza", 6)),
    date("Data inizio"),
    text("Stato", 10),
    text("Note", 24),
)


def need_rows(actor: User, period: Period) -> QuerySet:
    """The needs the figures count as demand: in scope, not cancelled, in the campaign."""
    needs = scope(actor, Need).active()
    if period.campaign is not None:
        needs = needs.filter(campaign=period.campaign)
    return needs.order_by("company__organisation__name", "profile__name_it", "pk").values_list(
        "campaign__name",
        "company__organisation__name",
        "company__partita_iva",
        "profile__name_it",
        "workplace__name",
        "workplace__province",
        "headcount",
        "contract",
        "hours",
        "shifts",
        "nights",
        "weekends",
        "italian_level",
        "driving_licence",
        "own_car_required",
        "duration_months",
        "min_experience_years",
        "start_date",
        "status",
        "notes",
    )


def _needs(worksheet, actor: User, period: Period) -> int:
    rows = need_rows(actor, period)
    contracts, hours = _labels(Need.Contract.choices), _labels(Need.Hours.choices)
    shifts, statuses = _labels(Need.Shifts.choices), _labels(Need.Status.choices)

    table = Table(worksheet, NEED_COLUMNS)
    return table.write(
        (
            *row[:7],
            contracts.get(row[7], row[7]),
            hours.get(row[8], row[8]),
            shifts.get(row[9], row[9]),
            *row[10:18],
            statuses.get(row[18], row[18]),
            row[19],
        )
        for row in rows.iterator(chunk_size=CHUNK_SIZE)
    )


# Candidati -------------------------------------------------------------------------------------

IDENTITY_COLUMNS = (
    text("Cognome", 18),
    text("Nome", 18),
    text("Codice fiscale", 20),  # sixteen capitals and digits, on one line
    date("Data di nascita"),
    text("Nazionalità", 16),
    text("Telefono", 16),
    text("E-mail", 36),
    text("Indirizzo", 40),
)
IDENTITY_FIELDS = (
    "last_name",
    "first_name",
    "codice_fiscale",
    "birth_date",
    "nationality",
    "phone",
    "email",
    "address",
)
CANDIDATE_COLUMNS = (
    text("Centro", 24),
    text("Stato", 10),
    text("Sesso", 8),
    text("Fascia d'età", 8),
    text("Comune di residenza", 14),
    text("Italiano", 12),
    text("Italiano verificato", 12),
    text("Istruzione", 15),
    text("Patenti", 9),
    yes_no("Auto propria"),
    upright(integer("Km massimi", 6)),
    upright(date("Disponibile dal")),
    text("Orario", 13),
    text("Turni", 12),
    yes_no("Notturno"),
    yes_no("Festivi"),
    yes_no("Carichi di cura"),
    text("Classe", 18),
    yes_no("Consenso abbinamento"),
    upright(date("Registrato il")),
)
CANDIDATE_FIELDS = (
    "centre__name",
    "status",
    "sex",
    "birth_date",
    "residence_comune__name",
    "italian_level",
    "italian_level_verified",
    "education",
    "driving_licences",
    "own_car",
    "max_commute_km",
    "available_from",
    "hours",
    "shifts",
    "nights",
    "weekends",
    "care_duties",
    "employability",
    "consent_matching",
    "registered_on",
)


def candidate_rows(actor: User, period: Period, *, full: bool = False) -> QuerySet:
    """The candidates the figures count as registered in the period, in registration order."""
    fields = ("pk", *(IDENTITY_FIELDS if full else ()), *CANDIDATE_FIELDS)
    return (
        scope(actor, Candidate)
        .filter(registered(*period.dates()))
        .annotate(registered_on=TruncDate("created_at"))
        .order_by("pk")
        .values_list(*fields)
    )


# SMALL_GROUP: fewer of the sheet's candidates in a comune than this, its province instead
# (the companies' cards group comuni by the same rule: matching.disclosure).


def _comuni_shown(actor: User, period: Period) -> dict[str | None, str | None]:
    """The comune of residence as the pseudonymised sheet writes it: the comune's name where at
    least SMALL_GROUP of the sheet's candidates live, else "altro comune" and its province. In a
    village of a few hundred people, a comune with an age band and a sex can point to one
    person; grouping them this way keeps that from the file (one aggregate query)."""
    groups = (
        candidate_rows(actor, period)
        .order_by()
        .values_list("residence_comune__name", "residence_comune__province")
        .annotate(people=Count("pk"))
    )
    return {
        name: name if people >= SMALL_GROUP or name is None else f"altro comune ({province})"
        for name, province, people in groups
    }


def _candidates(worksheet, actor: User, period: Period, *, full: bool) -> int:
    columns = (
        Column("Codice", CODE_WIDTH),
        *(IDENTITY_COLUMNS if full else ()),
        *_class_filled(CANDIDATE_COLUMNS),
    )
    return Table(worksheet, columns).write(_candidate_values(actor, period, full=full))


def class_tone(cls: str) -> Tone:
    """The colours of an employability class, as the dashboard draws it."""
    return TONES[CLASS_TONES[EmployabilityClass(cls)]]


def _class_filled(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """`columns` with the cells of "Classe" filled in the class's colours: each class's label
    in the current language (so when the sheet is written, not when the module is read)."""
    fills = tuple((str(cls.label), class_tone(cls)) for cls in EmployabilityClass)
    return tuple(
        replace(column, fills=fills) if column.header == "Classe" else column for column in columns
    )


def _candidate_values(actor: User, period: Period, *, full: bool) -> Iterator[tuple]:
    code, today, identity = CandidateCodes(), timezone.localdate(), len(IDENTITY_FIELDS)
    statuses, sexes = _labels(Candidate.Status.choices), _labels(Candidate.Sex.choices)
    levels, education = _labels(ItalianLevel.choices), _labels(Candidate.Education.choices)
    hours, shifts = _labels(Candidate.Hours.choices), _labels(Candidate.Shifts.choices)
    classes, nations = _labels(EmployabilityClass.choices), dict(countries)
    comuni = {} if full else _comuni_shown(actor, period)
    for row in candidate_rows(actor, period, full=full).iterator(chunk_size=CHUNK_SIZE):
        if full:
            last, first, fiscal_code, birth, nation, phone, email, address = row[1 : 1 + identity]
            person = (last, first, fiscal_code, birth, nations.get(nation), phone, email, address)
            row = (row[0], *row[1 + identity :])
        else:
            person = ()
        (pk, centre, status, sex, birth, comune, level, verified, school, licences, car, km,
         available, hour, shift, nights, weekends, care, cls, matching, on) = row  # fmt: skip
        yield (
            code(pk),
            *person,
            centre,
            statuses.get(status),
            sexes.get(sex),
            age_band(birth, today),
            comune if full else comuni.get(comune, comune),
            levels.get(level),
            levels.get(verified),
            education.get(school),
            licences,
            car,
            km,
            available,
            hours.get(hour),
            shifts.get(shift),
            nights,
            weekends,
            care,
            classes.get(cls),
            matching,
            on,
        )


# Colloqui --------------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = (
    text("Tranche", 14),
    Column("Codice candidato", CODE_WIDTH),
    date_time("Data colloquio"),
    text("Modalità", 14),
    text("Agenzia", 18),
    text("Classe", 18),
    text("Percorso", 36),
    text("Italiano verificato", 12),
    upright(integer("Ostacoli", 6)),
    date("Valutato il"),
    date("Prossima verifica"),
)


def assessment_rows(actor: User, period: Period) -> QuerySet:
    """The assessments recorded in the period (those the figures' "Interviewed" counts)."""
    return (
        scope(actor, Interview)
        .filter(between("assessment__recorded_at__date", *period.dates()), assessment__isnull=False)
        .annotate(
            assessed_on=TruncDate("assessment__recorded_at"),
            obstacle_count=Count("assessment__obstacles"),
        )
        .order_by("-tranche__starts_on", "tranche__name", "scheduled_at", "pk")
        .values_list(
            "tranche__name",
            "candidate_id",
            "scheduled_at",
            "mode",
            "agency__name",
            "assessment__employability",
            "assessment__verified_italian_level",
            "obstacle_count",
            "assessed_on",
            "assessment__next_review_on",
        )
    )


def _assessments(worksheet, actor: User, period: Period) -> int:
    code = CandidateCodes()
    modes, classes = _labels(Interview.Mode.choices), _labels(EmployabilityClass.choices)
    levels, pathways = _labels(ItalianLevel.choices), {key: str(p) for key, p in PATHWAYS.items()}
    rows = assessment_rows(actor, period).iterator(chunk_size=CHUNK_SIZE)
    return Table(worksheet, _class_filled(ASSESSMENT_COLUMNS)).write(
        (
            tranche,
            code(candidate),
            scheduled,
            modes.get(mode),
            agency,
            classes.get(cls),
            pathways.get(cls),
            levels.get(level),
            obstacles,
            on,
            review,
        )
        for tranche, candidate, scheduled, mode, agency, cls, level, obstacles, on, review in rows
    )


# Ostacoli --------------------------------------------------------------------------------------

OBSTACLE_COLUMNS = (
    text("Tranche", 22),
    text("Ostacolo", 36),
    integer("Gravità bassa", 10),
    integer("Gravità media", 10),
    integer("Gravità alta", 10),
    integer("Totale", 9),
    integer("Valutati nella tranche", 12),
    percent("Quota dei valutati", 11),
)


def obstacle_groups(actor: User, period: Period) -> tuple[QuerySet, dict[int, int]]:
    """Obstacles of the assessments of Colloqui counted by tranche, kind and severity (one
    query, when iterated), and the assessments of each tranche (one query)."""
    assessments = Assessment.objects.filter(
        between("recorded_at__date", *period.dates()), interview__in=scope(actor, Interview)
    )
    groups = (
        Obstacle.objects.filter(assessment__in=assessments)
        .values_list(
            "assessment__interview__tranche_id",
            "assessment__interview__tranche__name",
            "assessment__interview__tranche__starts_on",
            "kind",
            "severity",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    assessed = dict(
        assessments.values_list("interview__tranche_id").annotate(n=Count("pk")).order_by()
    )
    return groups, assessed


def _obstacles(worksheet, actor: User, period: Period) -> int:
    """Obstacles found by the assessments of Colloqui, one row per tranche and kind: how many
    at each severity, in all, and the share of the tranche's assessments that found it. A
    small pivot (tens of rows, two grouped queries), which is what pandas is for here."""
    import pandas as pd  # imported by the export only: the portal's pages do not need it

    groups, assessed = obstacle_groups(actor, period)
    table = Table(worksheet, OBSTACLE_COLUMNS)
    found = pd.DataFrame(list(groups), columns=["tranche", "name", "starts", "kind", "sev", "n"])
    if found.empty:
        return table.write([])
    pivot = found.pivot_table(
        index=["starts", "tranche", "name", "kind"],
        columns="sev",
        values="n",
        aggfunc="sum",
        fill_value=0,
    ).reindex(columns=list(Obstacle.Severity.values), fill_value=0)
    pivot["total"] = pivot.sum(axis=1)
    pivot = pivot.reset_index()
    pivot["assessed"] = pivot["tranche"].map(assessed)
    pivot["share"] = pivot["total"] / pivot["assessed"]
    pivot = pivot.sort_values(["starts", "total", "kind"], ascending=[False, False, True])
    kinds = _labels(Obstacle.Kind.choices)
    low, medium, high = Obstacle.Severity.values
    return table.write(
        (
            row["name"],
            kinds[row["kind"]],
            int(row[low]),
            int(row[medium]),
            int(row[high]),
            int(row["total"]),
            int(row["assessed"]),
            float(row["share"]),
        )
        for row in pivot.to_dict("records")
    )


# Abbinamenti -----------------------------------------------------------------------------------

ENTRY_COLUMNS = (
    text("Azienda", 20),
    text("Profilo", 23),
    text("Comune di lavoro", 14),
    text("Rilevazione", 16),
    Column("Codice candidato", CODE_WIDTH),
    text("Codice per l'azienda", 11),
    decimal("Punteggio", 10),
    text("Stato", 14),
    text("Motivo", 16),
    date("Proposto il"),
    date("Condivisa il"),
    text("Contratto", 15),
    date("Data inizio"),
    date("Ultimo aggiornamento"),
)


def entry_rows(actor: User, period: Period) -> QuerySet:
    """The shortlist entries added in the period (those the figures' "Shortlisted" counts),
    whatever their campaign, as the figures count them."""
    return (
        Entry.objects.filter(
            between("added_at__date", *period.dates()), shortlist__in=scope(actor, Shortlist)
        )
        .annotate(
            added_on=TruncDate("added_at"),
            shared_on=TruncDate("shortlist__shared_at"),
            updated_on=TruncDate("updated_at"),
        )
        .order_by("shortlist__need__company__organisation__name", "shortlist_id", "-score", "pk")
        .values_list(
            "shortlist__need__company__organisation__name",
            "shortlist__need__profile__name_it",
            "shortlist__need__workplace__name",
            "shortlist__need__campaign__name",
            "candidate_id",
            "code",
            "score",
            "status",
            "reason",
            "added_on",
            "shared_on",
            "contract",
            "start_date",
            "updated_on",
        )
    )


def _entries(worksheet, actor: User, period: Period) -> int:
    code = CandidateCodes()
    statuses, reasons = _labels(Entry.Status.choices), _labels(Entry.Reason.choices)
    contracts = _labels(Need.Contract.choices)
    rows = entry_rows(actor, period).iterator(chunk_size=CHUNK_SIZE)
    return Table(worksheet, ENTRY_COLUMNS).write(
        (
            *row[:4],
            code(row[4]),
            row[5],
            row[6],
            statuses.get(row[7]),
            reasons.get(row[8]),
            row[9],
            row[10],
            contracts.get(row[11]),
            *row[12:],
        )
        for row in rows
    )


# Supporti --------------------------------------------------------------------------------------

SUPPORT_COLUMNS = (
    Column("Codice candidato", CODE_WIDTH),
    text("Centro", 24),
    text("Supporto", 20),
    text("Ostacoli affrontati", 20),
    text("Stato", 10),
    text("Organizzazione referente", 24),
    text("Partner", 18),
)
SUPPORT_DATE_COLUMNS = (
    date("Data inizio"),
    date("Scadenza"),
    date("Conclusa il"),
    money("Costo (EUR)", 11),
    text("Finanziamento", 18),
    date("Proposta il"),
)
SUPPORT_FIELDS = (
    "pk",
    "candidate_id",
    "candidate__centre__name",
    "kind",
    "status",
    "owner__organisation__name",
    "partner__name",
    "starts_on",
    "due_on",
    "finished_on",
    "cost",
    "funding__name_it",
    "proposed_on",
)
# Free text typed about the action, in the full version only (see the module's docstring).
PROVIDER_COLUMN, OUTCOME_COLUMN = text("Fornitore", 16), text("Esito", 20)
FREE_TEXT_FIELDS = ("provider", "outcome")


def support_action_rows(actor: User, period: Period, *, full: bool = False) -> QuerySet:
    """The support actions the dashboard counts (in scope, proposed in the period), in the
    order they were proposed."""
    actions = support_actions(actor=actor, date_from=period.date_from, date_to=period.date_to)
    fields = (*SUPPORT_FIELDS, *(FREE_TEXT_FIELDS if full else ()))
    return actions.annotate(proposed_on=TruncDate("created_at")).order_by("pk").values_list(*fields)


def support_obstacle_rows(actor: User, period: Period) -> QuerySet:
    """The obstacles those actions address, as (action pk, obstacle kind), in the actions'
    order: a second stream walked beside the first, instead of a query per action."""
    actions = support_actions(actor=actor, date_from=period.date_from, date_to=period.date_to)
    return (
        SupportAction.obstacles.through.objects.filter(supportaction__in=actions.values("pk"))
        .order_by("supportaction_id", "obstacle_id")
        .values_list("supportaction_id", "obstacle__kind")
    )


def _addressed(actions: Iterator[tuple], obstacles: Iterator[tuple]) -> Iterator[tuple]:
    """Each action's row (its pk first) with the kinds of the obstacles it addresses: both
    streams come in the actions' pk order, so one pass over each pairs them."""
    pending = next(obstacles, None)
    for row in actions:
        kinds = []
        while pending is not None and pending[0] <= row[0]:
            if pending[0] == row[0]:
                kinds.append(pending[1])
            pending = next(obstacles, None)
        yield row, kinds


def _support_actions(worksheet, actor: User, period: Period, *, full: bool) -> int:
    columns = (
        *SUPPORT_COLUMNS,
        *((PROVIDER_COLUMN,) if full else ()),
        *SUPPORT_DATE_COLUMNS,
        *((OUTCOME_COLUMN,) if full else ()),
    )
    return Table(worksheet, columns).write(_support_action_values(actor, period, full=full))


def _support_action_values(actor: User, period: Period, *, full: bool) -> Iterator[tuple]:
    code = CandidateCodes()
    kinds, statuses = _labels(SupportAction.Kind.choices), _labels(SupportAction.Status.choices)
    obstacle_kinds = _labels(Obstacle.Kind.choices)
    order = {kind: index for index, kind in enumerate(Obstacle.Kind.values)}
    actions = support_action_rows(actor, period, full=full).iterator(chunk_size=CHUNK_SIZE)
    obstacles = support_obstacle_rows(actor, period).iterator(chunk_size=CHUNK_SIZE)
    for row, addressed in _addressed(actions, obstacles):
        (_pk, candidate, centre, kind, status, organisation, partner, starts, due, finished,
         cost, funding, proposed, *free_text) = row  # fmt: skip
        provider, outcome = free_text or (None, None)  # selected in the full version only
        yield (
            code(candidate),
            centre,
            kinds.get(kind),
            "; ".join(obstacle_kinds[each] for each in sorted(set(addressed), key=order.get)),
            statuses.get(status),
            organisation,
            partner,
            *((provider,) if full else ()),
            starts,
            due,
            finished,
            cost,
            funding,
            proposed,
            *((outcome,) if full else ()),
        )


# Formazione ------------------------------------------------------------------------------------

ENROLMENT_COLUMNS = (
    text("Corso", 28),
    text("Stato del corso", 10),
    text("Azienda ospitante", 16),
    text("Finanziamento", 24),
    money("Costo per posto (EUR)", 10),
    Column("Codice candidato", CODE_WIDTH),
    text("Centro", 24),
    text("Stato", 12),
    upright(integer("Frequenza (%)", 6)),
    text("Motivo del ritiro", 12),
    date("Concluso il"),
    text("Acquisito", 24),
    date("Proposto il"),
)


def enrolment_rows(actor: User, period: Period) -> QuerySet:
    """The enrolments the dashboard's outcomes count (in scope, proposed in the period), by
    course, in the order they were proposed."""
    rows = enrolments(actor=actor, date_from=period.date_from, date_to=period.date_to)
    return (
        rows.annotate(proposed_on=TruncDate("created_at"))
        .order_by("course__title", "course_id", "pk")
        .values_list(
            "course_id",
            "course__title",
            "course__status",
            "course__host__organisation__name",
            "course__funding__name_it",
            "course__cost_per_seat",
            "candidate_id",
            "candidate__centre__name",
            "status",
            "attended_percent",
            "drop_reason",
            "finished_on",
            "course__italian_level",
            "proposed_on",
        )
    )


def course_grants(actor: User, period: Period) -> dict[int, list[str]]:
    """What each course of those enrolments grants: its skills and certifications by name
    (two queries over the courses, however many enrolments they have)."""
    courses = enrolment_rows(actor, period).values("course_id")
    grants: dict[int, list[str]] = {}
    for through, name in (
        (Course.certifications.through, "certification__name_it"),
        (Course.skills.through, "skill__name_it"),
    ):
        for course, granted in (
            through.objects.filter(course__in=courses)
            .order_by("course_id", name)
            .values_list("course_id", name)
        ):
            grants.setdefault(course, []).append(granted)
    return grants


def _enrolments(worksheet, actor: User, period: Period) -> int:
    return Table(worksheet, ENROLMENT_COLUMNS).write(_enrolment_values(actor, period))


def _enrolment_values(actor: User, period: Period) -> Iterator[tuple]:
    code, grants = CandidateCodes(), course_grants(actor, period)
    course_statuses, statuses = _labels(Course.Status.choices), _labels(Enrolment.Status.choices)
    reasons = _labels(Enrolment.DropReason.choices)
    for row in enrolment_rows(actor, period).iterator(chunk_size=CHUNK_SIZE):
        (course, title, course_status, host, funding, cost, candidate, centre, status,
         attended, reason, finished, level, proposed) = row  # fmt: skip
        granted = None  # what the course gave, to those who completed it only
        if status == Enrolment.Status.COMPLETED:
            italian = (f"Italiano {level}",) if level else ()
            granted = "; ".join([*grants.get(course, ()), *italian]) or None
        yield (
            title,
            course_statuses.get(course_status),
            host,
            funding,
            cost,
            code(candidate),
            centre,
            statuses.get(status),
            attended,
            reasons.get(reason),
            finished,
            granted,
            proposed,
        )


# Finanziamenti ---------------------------------------------------------------------------------

FUNDING_COLUMNS = (
    text("Canale di finanziamento", 48),
    yes_no("Richiede la DID"),
    integer("Azioni di supporto", 11),
    money("Costo impegnato (azioni aperte)", 15),
    money("Costo sostenuto (azioni concluse)", 15),
    integer("Posti occupati nei corsi", 11),
    money("Costo dei corsi", 14),
    money("Costo totale", 14),
)
TOTAL_COLUMN = len(FUNDING_COLUMNS)


def funding_rows(actor: User, period: Period) -> list[tuple]:
    """Per funding channel: the support actions not cancelled and their cost (the dashboard's
    rows: `reports.figures.support_costs`), the seats filled on its courses and their cost
    (`course_costs`), and the total; the most expensive first, those with no channel decided
    last. Two grouped queries."""
    actions = {row.funding_id: row for row in support_costs(actor, period)[0]}
    courses = {row.funding_id: row for row in course_costs(actor, period)}
    rows = []
    for funding_id in dict.fromkeys([*actions, *courses]):
        action, course = actions.get(funding_id), courses.get(funding_id)
        named = action or course
        committed = action.committed if action else Decimal(0)
        spent = action.spent if action else Decimal(0)
        course_cost = course.cost if course else Decimal(0)
        rows.append(
            (
                funding_id == NO_FUNDING,
                named.name,
                None if funding_id == NO_FUNDING else named.requires_did,
                action.actions if action else 0,
                committed,
                spent,
                course.seats if course else 0,
                course_cost,
                committed + spent + course_cost,
            )
        )
    rows.sort(key=lambda row: (row[0], -row[-1], row[1]))  # not decided last
    return [row[1:] for row in rows]


def _funding(worksheet, actor: User, period: Period, charts: dict) -> int:
    """`funding_rows`, and a chart of the total cost by channel in `charts`. The channel's
    "needs the DID" is blank for what no channel is decided for yet."""
    count = Table(worksheet, FUNDING_COLUMNS).write(funding_rows(actor, period))
    if count:
        chart = BarChart()
        chart.type, chart.legend = "bar", None  # horizontal: channel names are long
        chart.title = "Costo totale per canale di finanziamento"
        chart.add_data(Reference(worksheet, min_col=TOTAL_COLUMN, min_row=2, max_row=count + 1))
        chart.set_categories(Reference(worksheet, min_col=1, min_row=2, max_row=count + 1))
        _series_tones(chart, "primary")
        charts["Grafico finanziamenti"] = chart
    return count


# Riepilogo -------------------------------------------------------------------------------------


SUMMARY_WIDTHS = (42, 14, 14, 14, 12, 12, 12, 12, 12, 12)  # columns A to J


def _summary(
    worksheet, figures: ProgrammeFigures, rows: dict[str, int], charts: dict, *, full: bool
) -> None:
    """The key figures, the demand by profile, the obstacles and the tranches, each a table
    from `figures`, with charts of them in `charts`; then what the file holds. Its first
    table (the key figures) carries the frozen header and the autofilter. Printed as the
    tables are (`print_setup`), but with no header row repeated: each of its tables has its
    own."""
    layout = _SummaryLayout(worksheet)
    for index, width in enumerate(SUMMARY_WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    print_setup(worksheet)
    # The key figures in three runs (demand, the candidates' path, their classes), so that
    # each chart covers adjoining cells.
    key_figures = [*figures.demand_totals, *figures.path, *figures.classes]
    key_figures += [figure for figure in figures.funnel if figure not in key_figures]
    first, _last = layout.table(  # what each figure counts, as the pages say it beside it
        ("Indicatore", "Valore", "Che cosa conta"),
        [(layout.label(figure), figure.value, str(figure.definition)) for figure in key_figures],
        first=True,
    )
    runs = {}
    for name, run in (("path", figures.path), ("classes", figures.classes)):
        if run:
            start = first + key_figures.index(run[0])
            runs[name] = (start, start + len(run) - 1)
    demand = layout.table(
        ("Profilo", "Fabbisogni", "Persone richieste", "Candidati idonei (A o B)"),
        [(row.profile, row.needs, row.headcount, row.suitable) for row in figures.demand],
        title="Domanda e candidati idonei per profilo",
    )
    obstacles = layout.table(
        ("Ostacolo", "Candidati"),
        [(row.label, row.value) for row in figures.obstacles],
        title="Ostacoli rilevati (candidati)",
    )
    layout.table(
        TRANCHE_HEADERS, [_tranche(row) for row in figures.tranches], title="Tranche di colloqui"
    )
    layout.table(("Questo file", ""), _about(figures.period, rows, full=full), title="")
    worksheet.print_area = f"A1:{get_column_letter(len(SUMMARY_WIDTHS))}{layout.row}"
    _charts(
        worksheet,
        charts,
        runs,
        [figure.tone for figure in figures.classes],
        demand if figures.demand else None,
        obstacles if figures.obstacles else None,
    )


TRANCHE_HEADERS = (
    "Tranche",
    "Dal",
    "Al",
    "Obiettivo",
    "Programmati",
    "Svolti",
    "Assenti",
    "Classe A",
    "Classe B",
    "Classe C",
)


def _tranche(row: TrancheRow) -> tuple:
    return (
        row.name,
        row.starts_on,
        row.ends_on,
        row.target,
        row.planned,
        row.done,
        row.no_show,
        row.class_a,
        row.class_b,
        row.class_c,
    )


class _SummaryLayout:
    """Writes the summary's tables one under the other, remembering where each one's rows
    are, for the charts."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.row = 0  # the last row written
        self.integer = Styled(worksheet, INTEGER_FORMAT)
        self.date = Styled(worksheet, DATE_FORMAT)
        self.date_time = Styled(worksheet, DATETIME_FORMAT)

    def table(self, headers, rows, *, title: str = "", first: bool = False) -> tuple[int, int]:
        """Write a table; return the first and last row of its data."""
        if not first:
            self._append([])
            if title:
                self._append([title_cell(self.worksheet, title)])
        height = header_height(headers, SUMMARY_WIDTHS[: len(headers)])
        self.worksheet.row_dimensions[self.row + 1].height = height
        self._append(header_cells(self.worksheet, headers))
        start = self.row + 1
        for row in rows:
            self._append([self._cell(value) for value in row])
        if first:
            self.worksheet.auto_filter.ref = f"A1:B{self.row}"
        return start, self.row

    def label(self, figure: Figure):
        """A figure's label, in the figure's colours where it has its own (the classes)."""
        if not figure.tone:
            return str(figure.label)
        cell = WriteOnlyCell(self.worksheet, str(figure.label))
        tone = TONES[figure.tone]
        cell.fill, cell.font = tone_fill(tone), tone_font(tone)
        return cell

    def _cell(self, value):
        if isinstance(value, Cell) or value is None:
            return value
        if isinstance(value, bool):
            return yes_no_text(value)
        if isinstance(value, int):
            return self.integer(value)
        if isinstance(value, datetime.datetime):
            return self.date_time(naive_local(value))
        if isinstance(value, datetime.date):
            return self.date(value)
        return text_cell(self.worksheet, str(value))

    def _append(self, cells) -> None:
        self.worksheet.append(cells)
        self.row += 1


def _about(period: Period, rows: dict[str, int], *, full: bool) -> list[tuple]:
    now = timezone.localtime()
    return [
        ("Versione", "dati completi" if full else "pseudonimizzata"),
        ("Rilevazione", period.campaign.name if period.campaign else "tutte"),
        ("Dal", period.date_from or "inizio del programma"),
        ("Al", period.date_to or f"oggi ({now:%d/%m/%Y})"),
        ("Generato il", now.replace(second=0, microsecond=0)),
        *(
            (f"Righe del foglio {title}", count)
            for title, count in rows.items()
            if title != SHEETS[0]
        ),
    ]


def _charts(worksheet, charts: dict, runs: dict, class_tones: list[str], demand, obstacles):
    """Native Excel charts over the summary's own cells, into `charts` by the title of the
    chart sheet each goes on, in the dashboard's colours."""
    if "path" in runs:
        chart = _bar(worksheet, "Percorso dei candidati", runs["path"], columns=(2, 2))
        chart.legend = None
        charts["Grafico percorso"] = _series_tones(chart, "primary")
    if "classes" in runs:
        first, last = runs["classes"]
        pie = PieChart()
        pie.title = "Classi di occupabilità"
        pie.add_data(Reference(worksheet, min_col=2, min_row=first, max_row=last))
        pie.set_categories(Reference(worksheet, min_col=1, min_row=first, max_row=last))
        for index, name in enumerate(class_tones):
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = TONES[name].background
            point.graphicalProperties.line.solidFill = TONES[name].background
            pie.series[0].dPt.append(point)
        charts["Grafico classi"] = pie
    if demand:
        chart = _bar(
            worksheet, "Persone richieste e candidati idonei", demand, columns=(3, 4), titles=True
        )
        chart.type = "bar"  # horizontal: profile names are long
        charts["Grafico domanda"] = _series_tones(chart, "primary", "success")
    if obstacles:
        chart = _bar(worksheet, "Ostacoli rilevati", obstacles, columns=(2, 2))
        chart.type, chart.legend = "bar", None
        charts["Grafico ostacoli"] = _series_tones(chart, "warning")


def _series_tones(chart: BarChart, *tones: str) -> BarChart:
    """`chart`'s series in the colours the dashboard draws them in, one tone each; its axes
    shown (openpyxl leaves Excel to hide them)."""
    for series, name in zip(chart.series, tones, strict=True):
        series.graphicalProperties.solidFill = TONES[name].background
        series.graphicalProperties.line.solidFill = TONES[name].background
    chart.x_axis.delete = chart.y_axis.delete = False
    return chart


def _bar(worksheet, title: str, rows: tuple[int, int], *, columns, titles=False) -> BarChart:
    first, last = rows
    chart = BarChart()
    chart.title = title
    data = Reference(
        worksheet,
        min_col=columns[0],
        max_col=columns[1],
        min_row=first - 1 if titles else first,
        max_row=last,
    )
    chart.add_data(data, titles_from_data=titles)
    chart.set_categories(Reference(worksheet, min_col=1, min_row=first, max_row=last))
    return chart
