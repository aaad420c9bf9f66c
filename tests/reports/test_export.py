"""The programme workbook as the programme office opens it: sheets, headers, totals equal to
the database's, formats, charts, formulas kept as text, and no identity in the
pseudonymised version."""

import datetime
import io
import zipfile
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone, translation
from openpyxl import load_workbook

from candidates.models import Candidate, age_band
from catalog.models import Comune
from companies.models import Need
from interviews.models import Assessment, Obstacle
from matching.models import Entry
from reports.exporting import CHART_SHEETS, CandidateCodes, workbook_write
from reports.figures import Period, pathway_figures, programme_figures
from tests.factories import CandidateFactory
from tests.reports import export_data
from training.models import Enrolment, SupportAction

FILLED = ("Proposto", "Iscritto", "Completato")  # the enrolments that take a seat

HEADERS = {
    "Riepilogo": ["Indicatore", "Valore"],
    "Fabbisogni": [
        "Rilevazione", "Azienda", "Partita IVA", "Profilo", "Comune di lavoro", "Provincia",
        "Persone richieste", "Contratto", "Orario", "Turni", "Notturno", "Festivi",
        "Italiano minimo", "Patente richiesta", "Auto richiesta", "Durata (mesi)",
        "Anni di esperienza",
        "Data inizio", "Stato", "Note",
    ],
    "Candidati": [
        "Codice", "Centro", "Stato", "Sesso", "Fascia d'età", "Comune di residenza", "Italiano",
        "Italiano verificato", "Istruzione", "Patenti", "Auto propria", "Km massimi",
        "Disponibile dal", "Orario", "Turni", "Notturno", "Festivi", "Carichi di cura",
        "Classe", "Consenso abbinamento", "Registrato il",
    ],
    "Colloqui": [
        "Tranche", "Codice candidato", "Data colloquio", "Modalità", "Agenzia", "Classe",
        "Percorso", "Italiano verificato", "Ostacoli", "Valutato il", "Prossima verifica",
    ],
    "Ostacoli": [
        "Tranche", "Ostacolo", "Gravità bassa", "Gravità media", "Gravità alta", "Totale",
        "Valutati nella tranche", "Quota dei valutati",
    ],
    "Abbinamenti": [
        "Azienda", "Profilo", "Comune di lavoro", "Rilevazione", "Codice candidato",
        "Codice per l'azienda", "Punteggio", "Stato", "Motivo", "Proposto il", "Condivisa il",
        "Contratto", "Data inizio", "Ultimo aggiornamento",
    ],
    "Supporti": [
        "Codice candidato", "Centro", "Supporto", "Ostacoli affrontati", "Stato",
        "Organizzazione referente", "Partner", "Data inizio", "Scadenza", "Conclusa il",
        "Costo (EUR)", "Finanziamento", "Proposta il",
    ],
    "Formazione": [
        "Corso", "Stato del corso", "Azienda ospitante", "Finanziamento",
        "Costo per posto (EUR)", "Codice candidato", "Centro", "Stato", "Frequenza (%)",
        "Motivo del ritiro", "Concluso il", "Acquisito", "Proposto il",
    ],
    "Finanziamenti": [
        "Canale di finanziamento", "Richiede la DID", "Azioni di supporto",
        "Costo impegnato (azioni aperte)", "Costo sostenuto (azioni concluse)",
        "Posti occupati nei corsi", "Costo dei corsi", "Costo totale",
    ],
}  # fmt: skip
IDENTITY_HEADERS = [
    "Cognome", "Nome", "Codice fiscale", "Data di nascita", "Nazionalità", "Telefono", "E-mail",
    "Indirizzo",
]  # fmt: skip


def _write(actor, period=Period(), *, full=False):  # noqa: B008
    buffer = io.BytesIO()
    rows = workbook_write(buffer, actor=actor, period=period, full=full)
    buffer.seek(0)
    return load_workbook(buffer), rows, buffer


def _table(worksheet) -> list[dict]:
    """The sheet's rows as dictionaries by header (the first table only for Riepilogo)."""
    rows = worksheet.iter_rows(values_only=True)
    headers = [header for header in next(rows) if header]
    table = []
    for row in rows:
        if row[0] is None:
            break
        table.append(dict(zip(headers, row, strict=False)))
    return table


def _all_cells(workbook):
    for worksheet in workbook:
        for row in worksheet.iter_rows():
            yield from (cell for cell in row if cell.value is not None)


@pytest.fixture
def programme(staff):
    return export_data.build(staff=staff)


@pytest.mark.django_db
def test_every_sheet_is_there_with_its_headers(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    assert workbook.sheetnames == [*HEADERS, *CHART_SHEETS]  # the charts after the tables
    for title, headers in HEADERS.items():
        first_row = [cell.value for cell in next(workbook[title].iter_rows(max_row=1))]
        assert first_row[: len(headers)] == headers, title


@pytest.mark.django_db
def test_the_full_version_adds_the_identity_after_the_code(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    first_row = [cell.value for cell in next(workbook["Candidati"].iter_rows(max_row=1))]
    assert first_row == ["Codice", *IDENTITY_HEADERS, *HEADERS["Candidati"][1:]]
    person = next(row for row in _table(workbook["Candidati"]) if row["Cognome"] == "Quattrocchi")
    assert person["Codice fiscale"] == export_data.PERSON["codice_fiscale"]
    assert person["Telefono"] == export_data.PERSON["phone"]
    assert person["Data di nascita"].date() == datetime.date(1988, 3, 1)
    assert person["Nazionalità"] == "Marocco"
    assert person["Codice"] == CandidateCodes()(programme.person.pk)


@pytest.mark.django_db
def test_needs_sheet_adds_up_to_the_demand_not_cancelled(admin, programme):
    workbook, rows, _buffer = _write(admin)
    needs = _table(workbook["Fabbisogni"])
    active = Need.objects.active()
    assert len(needs) == rows["Fabbisogni"] == active.count() == 3
    headcount = sum(row["Persone richieste"] for row in needs)
    assert headcount == active.aggregate(n=Sum("headcount"))["n"] == 10
    assert {row["Stato"] for row in needs} == {"Aperto", "Coperto"}


@pytest.mark.django_db
def test_candidates_sheet_counts_the_registered_not_the_drafts(admin, programme):
    workbook, rows, _buffer = _write(admin)
    candidates = _table(workbook["Candidati"])
    registered = Candidate.objects.exclude(status=Candidate.Status.DRAFT)
    assert len(candidates) == rows["Candidati"] == registered.count() == 6
    codes = {row["Codice"] for row in candidates}
    assert len(codes) == 6
    assert CandidateCodes()(programme.draft.pk) not in codes
    person = next(
        row for row in candidates if row["Codice"] == CandidateCodes()(programme.person.pk)
    )
    assert person["Fascia d'età"] == age_band(datetime.date(1988, 3, 1), timezone.localdate())
    assert person["Classe"].startswith("A")


@pytest.mark.django_db
def test_assessments_sheet_counts_each_tranche_by_class(admin, programme):
    workbook, rows, _buffer = _write(admin)
    assessments = _table(workbook["Colloqui"])
    assert len(assessments) == rows["Colloqui"] == Assessment.objects.count() == 5
    by_tranche_and_class = Counter((row["Tranche"], row["Classe"][0]) for row in assessments)
    database = Counter(Assessment.objects.values_list("interview__tranche__name", "employability"))
    assert by_tranche_and_class == database
    first = export_data.FORMULAS["tranche"]
    assert by_tranche_and_class[(first, "B")] == 2
    assert sum(row["Ostacoli"] for row in assessments) == Obstacle.objects.count()


@pytest.mark.django_db
def test_obstacles_sheet_adds_up_to_the_obstacles_found(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    obstacles = _table(workbook["Ostacoli"])
    assert sum(row["Totale"] for row in obstacles) == Obstacle.objects.count() == 7
    transport = next(row for row in obstacles if row["Ostacolo"] == "Trasporti / senza auto")
    assert transport["Gravità alta"] == transport["Totale"] == 4
    assert transport["Valutati nella tranche"] == 4
    assert transport["Quota dei valutati"] == 1
    care = next(row for row in obstacles if row["Tranche"] == "Seconda tranche")
    assert (care["Gravità bassa"], care["Totale"], care["Valutati nella tranche"]) == (1, 1, 1)


@pytest.mark.django_db
def test_shortlists_sheet_lists_every_entry_with_its_outcome(admin, programme):
    workbook, rows, _buffer = _write(admin)
    entries = _table(workbook["Abbinamenti"])
    assert len(entries) == rows["Abbinamenti"] == Entry.objects.count() == 4
    assert [row["Stato"] for row in entries].count("Assunto") == 1
    assert {row["Codice per l'azienda"] for row in entries} == set(
        Entry.objects.values_list("code", flat=True)
    )
    candidates = {row["Codice"] for row in _table(workbook["Candidati"])}
    assert {row["Codice candidato"] for row in entries} <= candidates


@pytest.mark.django_db
def test_summary_shows_the_dashboards_figures_and_they_match_the_sheets(admin, programme):
    workbook, rows, _buffer = _write(admin)
    with translation.override("it"):
        figures = programme_figures(admin, Period())
        expected = {str(figure.label): figure.value for figure in figures.funnel}
    summary = {row["Indicatore"]: row["Valore"] for row in _table(workbook["Riepilogo"])}
    assert summary == expected
    assert len(summary) == rows["Riepilogo"]
    assert figures.figure("registered").value == rows["Candidati"]
    assert figures.figure("needs").value == rows["Fabbisogni"]
    interviewed = {row["Codice candidato"] for row in _table(workbook["Colloqui"])}
    assert figures.figure("interviewed").value == len(interviewed)
    shortlisted = {row["Codice candidato"] for row in _table(workbook["Abbinamenti"])}
    assert figures.figure("shortlisted").value == len(shortlisted)


@pytest.mark.django_db
def test_summary_and_funding_have_native_charts_of_their_own_cells(admin, programme):
    _workbook, _rows, buffer = _write(admin)
    with zipfile.ZipFile(buffer) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        sheets = Counter(
            "Riepilogo" if "Riepilogo" in archive.read(name).decode() else "Finanziamenti"
            for name in charts
        )
        # the path, the classes, demand by profile, obstacles; the cost by funding channel
        assert sheets == {"Riepilogo": 4, "Finanziamenti": 1}
        funding = next(
            archive.read(name).decode()
            for name in charts
            if "Finanziamenti" in archive.read(name).decode()
        )
        assert "'Finanziamenti'!$H$2:$H$4" in funding  # the total cost of the three channels


@pytest.mark.django_db
def test_every_sheet_is_a_formatted_table(admin, programme):
    workbook, rows, _buffer = _write(admin)
    for worksheet in workbook:
        assert worksheet.freeze_panes == "A2", worksheet.title
        header = next(worksheet.iter_rows(max_row=1))
        assert header[0].font.bold
        assert header[0].fill.fgColor.rgb.endswith("1F4E78")
        assert worksheet.column_dimensions["A"].width > 8
    for title, count in rows.items():
        last = "B" if title == "Riepilogo" else None
        ref = workbook[title].auto_filter.ref
        assert ref.endswith(f"{count + 1}"), title
        assert last is None or ref == f"A1:B{count + 1}"
    candidates = workbook["Candidati"]
    registered_on = candidates.cell(row=2, column=HEADERS["Candidati"].index("Registrato il") + 1)
    assert registered_on.is_date
    assert registered_on.number_format == "DD/MM/YYYY"
    summary = workbook["Riepilogo"]
    assert summary["B2"].number_format == "#,##0"
    cost = workbook["Supporti"].cell(row=2, column=HEADERS["Supporti"].index("Costo (EUR)") + 1)
    assert cost.number_format == "#,##0.00"
    assert workbook["Finanziamenti"]["H2"].number_format == "#,##0.00"
    course_cost = HEADERS["Formazione"].index("Costo per posto (EUR)") + 1
    assert workbook["Formazione"].cell(row=2, column=course_cost).number_format == "#,##0.00"


@pytest.mark.django_db
def test_texts_that_start_like_formulas_come_back_as_text(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    cells = list(_all_cells(workbook))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for planted in export_data.FORMULAS.values():
        found = [cell for cell in cells if cell.value == planted]
        assert found, planted
        for cell in found:
            assert cell.data_type == "s", planted
            assert cell.quotePrefix, planted


@pytest.mark.django_db
def test_the_pseudonymised_workbook_holds_nobodys_identity(admin, programme):
    workbook, _rows, _buffer = _write(admin)
    planted = [str(value) for key, value in export_data.PERSON.items() if key != "birth_date"]
    texts = [str(cell.value) for cell in _all_cells(workbook) if isinstance(cell.value, str)]
    for value in planted:
        assert not [text for text in texts if value.lower() in text.lower()], value
    for candidate in programme.candidates:
        for value in (candidate.last_name, candidate.phone):
            assert not [text for text in texts if value in text], value
    dates = {cell.value.date() for cell in _all_cells(workbook) if cell.is_date}
    assert export_data.PERSON["birth_date"] not in dates
    assert "Marocco" not in texts


@pytest.mark.django_db
def test_candidate_codes_are_stable_and_reveal_nothing(settings):
    codes = CandidateCodes()
    assert codes(41) == codes(41) != codes(42)
    assert "41" not in codes(41).removeprefix("P-")
    settings.SECRET_KEY = "another-secret-" * 4
    assert CandidateCodes()(41) != codes(41)


@pytest.mark.django_db
def test_the_campaign_restricts_the_needs_and_the_dates_the_candidates(admin, programme):
    export_data.move_registration(programme.person, datetime.date(2025, 6, 15))
    period = Period(
        campaign=programme.other_campaign,
        date_from=datetime.date(2025, 6, 1),
        date_to=datetime.date(2025, 6, 30),
    )
    workbook, rows, _buffer = _write(admin, period)
    assert [row["Rilevazione"] for row in _table(workbook["Fabbisogni"])] == ["Rilevazione 2025"]
    assert [row["Codice"] for row in _table(workbook["Candidati"])] == [
        CandidateCodes()(programme.person.pk)
    ]
    # Everything else was recorded today, outside the period.
    assert rows["Colloqui"] == rows["Ostacoli"] == rows["Abbinamenti"] == 0
    assert rows["Supporti"] == rows["Formazione"] == rows["Finanziamenti"] == 0
    about = {row[0]: row[1] for row in workbook["Riepilogo"].iter_rows(values_only=True)}
    assert about["Rilevazione"] == "Rilevazione 2025"
    assert about["Versione"] == "pseudonimizzata"


@pytest.mark.django_db
def test_a_comune_with_few_candidates_shows_as_its_province(admin, programme):
    # Six of the sheet's candidates live in Bergamo; one alone in a mountain village, where a
    # comune, an age band and a sex could point to her.
    CandidateFactory(residence_comune=Comune.objects.get(name="Valbondione"))
    comuni = Counter(row["Comune di residenza"] for row in _table(_write(admin)[0]["Candidati"]))
    assert comuni == {"Bergamo": 6, "altro comune (BG)": 1}
    full = Counter(
        row["Comune di residenza"] for row in _table(_write(admin, full=True)[0]["Candidati"])
    )
    assert full == {"Bergamo": 6, "Valbondione": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 12])
def test_the_export_runs_a_fixed_number_of_queries(admin, staff, extra, django_assert_num_queries):
    export_data.build(staff=staff, extra=extra)
    # Fabbisogni, Candidati (candidates by comune, then one streamed query), Colloqui (one
    # streamed query), Ostacoli (obstacles by
    # tranche, kind and severity; assessments by tranche), Abbinamenti (one streamed query),
    # Supporti (the actions and the obstacles they address: two streamed queries walked side
    # by side), Formazione (what the courses grant: certifications, skills; then the
    # enrolments, streamed), Finanziamenti (actions and cost by funding channel, seats filled
    # and their cost by the courses' channel),
    # then the summary's figures (reports.figures: demand totals, the candidates' funnel,
    # demand by profile, suitable candidates, profile names, obstacles, the tranches' counts,
    # the tranches).
    with django_assert_num_queries(22):
        workbook_write(io.BytesIO(), actor=admin, period=Period())


def _costs(rows) -> Decimal:
    return sum((Decimal(str(row["Costo (EUR)"] or 0)) for row in rows), Decimal(0))


@pytest.mark.django_db
def test_support_sheet_lists_every_action_with_what_it_addresses_and_costs(admin, programme):
    workbook, rows, _buffer = _write(admin)
    actions = _table(workbook["Supporti"])
    assert len(actions) == rows["Supporti"] == SupportAction.objects.count() == 4
    assert _costs(actions) == SupportAction.objects.aggregate(n=Sum("cost"))["n"]
    code = CandidateCodes()(programme.person.pk)
    bus = next(row for row in actions if row["Supporto"] == "Abbonamento bus o treno")
    assert bus["Codice candidato"] == code
    assert bus["Ostacoli affrontati"] == "Trasporti / senza auto"
    assert (bus["Stato"], bus["Partner"]) == ("Svolta", export_data.FORMULAS["partner"])
    assert bus["Organizzazione referente"] == "Confindustria Bergamo"
    assert bus["Finanziamento"] == "Fondi propri della Caritas / Diakonia"
    assert bus["Conclusa il"].date() == timezone.localdate()
    assert bus["Costo (EUR)"] == 45.5
    both = next(row for row in actions if row["Supporto"] == "Altro supporto")
    assert both["Ostacoli affrontati"] == "Trasporti / senza auto; Lingua italiana"
    assert (both["Costo (EUR)"], both["Finanziamento"]) == (None, None)
    candidates = {row["Codice"] for row in _table(workbook["Candidati"])}
    assert {row["Codice candidato"] for row in actions} <= candidates
    assert not {"Fornitore", "Esito"} & set(actions[0])  # free text: the full version only


@pytest.mark.django_db
def test_the_full_version_adds_the_provider_and_the_outcome(admin, programme):
    workbook, _rows, _buffer = _write(admin, full=True)
    first_row = [cell.value for cell in next(workbook["Supporti"].iter_rows(max_row=1))]
    supporti = HEADERS["Supporti"]
    partner = supporti.index("Partner") + 1
    assert first_row == [*supporti[:partner], "Fornitore", *supporti[partner:], "Esito"]
    bus = next(row for row in _table(workbook["Supporti"]) if row["Stato"] == "Svolta")
    assert bus["Fornitore"] == export_data.FORMULAS["provider"]
    assert bus["Esito"] == export_data.FORMULAS["outcome"]
    texts = [cell.value for cell in _all_cells(workbook) if isinstance(cell.value, str)]
    assert not [text for text in texts if "7731" in text]  # an action's note is in neither


@pytest.mark.django_db
def test_funding_sheet_adds_up_to_the_actions_not_cancelled(admin, programme):
    workbook, rows, _buffer = _write(admin)
    channels = {row["Canale di finanziamento"]: row for row in _table(workbook["Finanziamenti"])}
    assert list(channels) == [
        "Bando regionale FSE+",  # the most expensive first
        "Fondi propri della Caritas / Diakonia",
        "Non ancora deciso",  # the actions whose channel is not decided yet, last
    ]
    assert len(channels) == rows["Finanziamenti"]
    course = channels["Bando regionale FSE+"]
    # Zenobia's childcare was cancelled: its 200 euros count nowhere.
    assert (course["Azioni di supporto"], course["Costo impegnato (azioni aperte)"]) == (1, 1200)
    assert course["Costo sostenuto (azioni concluse)"] == 0
    # Her forklift seat (300 euros): the others on it dropped out or did not complete it.
    assert (course["Posti occupati nei corsi"], course["Costo dei corsi"]) == (1, 300)
    assert course["Costo totale"] == 1500
    assert (
        channels["Fondi propri della Caritas / Diakonia"]["Costo sostenuto (azioni concluse)"]
        == 45.5
    )
    assert channels["Fondi propri della Caritas / Diakonia"]["Richiede la DID"] == "No"
    assert channels["Non ancora deciso"]["Richiede la DID"] is None
    actions = _table(workbook["Supporti"])
    kept = [row for row in actions if row["Stato"] != "Annullata"]
    assert sum(row["Azioni di supporto"] for row in channels.values()) == len(kept) == 3
    actions_total = sum(
        Decimal(str(row[cost]))
        for row in channels.values()
        for cost in ("Costo impegnato (azioni aperte)", "Costo sostenuto (azioni concluse)")
    )
    assert actions_total == _costs(kept) == Decimal("1245.50")
    seats = [row for row in _table(workbook["Formazione"]) if row["Stato"] in FILLED]
    assert sum(row["Posti occupati nei corsi"] for row in channels.values()) == len(seats) == 3
    for name, row in channels.items():
        by_channel = [r for r in kept if (r["Finanziamento"] or "Non ancora deciso") == name]
        on_courses = [r for r in seats if (r["Finanziamento"] or "Non ancora deciso") == name]
        course_cost = sum(Decimal(str(r["Costo per posto (EUR)"] or 0)) for r in on_courses)
        assert Decimal(str(row["Costo dei corsi"])) == course_cost, name
        assert Decimal(str(row["Costo totale"])) == _costs(by_channel) + course_cost, name
    assert channels["Non ancora deciso"]["Posti occupati nei corsi"] == 2  # the Italian course


@pytest.mark.django_db
def test_the_workbook_counts_the_support_the_dashboard_shows(staff, programme):
    workbook, rows, _buffer = _write(staff)
    with translation.override("it"):
        pathway = pathway_figures(staff)
    assert rows["Supporti"] == pathway.total.value
    funding = {row["Canale di finanziamento"]: row for row in _table(workbook["Finanziamenti"])}
    assert {name: row["Azioni di supporto"] for name, row in funding.items()} == {
        row.name: row.actions for row in pathway.funding
    }


@pytest.mark.django_db
def test_training_sheet_lists_every_enrolment_with_its_course_and_outcome(admin, programme):
    workbook, rows, _buffer = _write(admin)
    enrolments = _table(workbook["Formazione"])
    assert len(enrolments) == rows["Formazione"] == Enrolment.objects.count() == 5
    code = CandidateCodes()(programme.person.pk)
    hers = next(row for row in enrolments if row["Codice candidato"] == code)
    assert hers["Corso"] == export_data.FORMULAS["course"]
    assert hers["Azienda ospitante"] == export_data.FORMULAS["company"]
    assert (hers["Stato del corso"], hers["Stato"]) == ("Concluso", "Completato")
    assert (hers["Finanziamento"], hers["Costo per posto (EUR)"]) == ("Bando regionale FSE+", 300)
    assert hers["Frequenza (%)"] == 85
    assert hers["Concluso il"].date() == timezone.localdate()
    assert "Abilitazione alla conduzione di carrelli elevatori" in hers["Acquisito"]
    assert hers["Acquisito"].count(";") == 1  # the licence and the skill
    dropped = next(row for row in enrolments if row["Stato"] == "Ritirato")
    assert dropped["Motivo del ritiro"] == "Non riusciva a raggiungerlo"
    assert dropped["Acquisito"] is None  # nothing granted
    statuses = Counter(row["Stato"] for row in enrolments)
    database = Counter(Enrolment.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == sum(database.values())
    assert len(statuses) == len(database) == 5
    candidates = {row["Codice"] for row in _table(workbook["Candidati"])}
    assert {row["Codice candidato"] for row in enrolments} <= candidates
    assert not [row for row in enrolments if str(row["Codice candidato"]).startswith("F-")]


@pytest.mark.django_db
def test_neither_version_carries_an_enrolments_note(admin, programme):
    for full in (False, True):
        workbook, _rows, _buffer = _write(admin, full=full)
        texts = [cell.value for cell in _all_cells(workbook) if isinstance(cell.value, str)]
        assert not [text for text in texts if "5517" in text], full


@pytest.mark.django_db
def test_the_workbook_counts_the_enrolments_the_dashboard_counts(staff, programme):
    _workbook, rows, _buffer = _write(staff)
    courses = pathway_figures(staff).courses
    finished = Enrolment.objects.filter(status__in=["completed", "not_completed", "dropped"])
    assert courses.finished.value == finished.count() == 3
    assert rows["Formazione"] == Enrolment.objects.count()
