"""Charity centres import their lists of people from Excel: all or nothing, registered when
complete, drafts otherwise, never duplicated, never moved to another centre."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from stdnum.it import codicefiscale

from candidates.importing import SPECS, import_candidates
from candidates.models import Candidate, ConsentRecord, DuplicateReview, StatusChange
from focus.spreadsheets import XLSX_CONTENT_TYPE, ImportRefused, read_workbook
from tests.factories import CandidateFactory
from tests.spreadsheets.workbooks import (
    located,
    refused_uploads,
    save,
    upload,
    xlsx_upload,
)

HEADERS = [
    "Nome",
    "Cognome",
    "Sesso",
    "Data di nascita",
    "Paese di nascita",
    "Cittadinanza",
    "Codice fiscale",
    "Comune di residenza",
    "Provincia",
    "Indirizzo",
    "Telefono",
    "E-mail",
    "Operatore",
    "Livello di italiano",
    "Altre lingue",
    "Titolo di studio",
    "Titolo conseguito",
    "Conseguito all'estero",
    "Riconosciuto in Italia",
    "Esperienze",
    "Competenze",
    "Certificazioni",
    "Patenti",
    "Auto propria",
    "Moto",
    "Bicicletta",
    "Mezzi pubblici",
    "Passaggio",
    "Km massimi",
    "Minuti massimi",
    "Disponibile dal",
    "Orario",
    "Turni",
    "Notturno",
    "Weekend",
    "Carichi di cura",
    "Permesso di soggiorno",
    "Scadenza permesso",
    "Rinnovo permesso richiesto il",
    "Note",
    "Consenso programma",
    "Consenso matching",
    "Consenso profilo anonimo",
    "Consenso contatti",
]


def code(first15: str) -> str:
    return first15 + codicefiscale.calc_check_digit(first15)


# A woman born on 15 January 1990 in Morocco; a man born on 3 March 1985 in Senegal.
FATIMA_CF = code("BNLFTM90A55Z330")
AMADOU_CF = code("DLLMDA85C03Z343")


def person(**changes) -> dict:
    """A complete row: everything registration needs, and more."""
    row = dict.fromkeys(HEADERS)
    row.update(
        {
            "Nome": "Fatima",
            "Cognome": "Benali",
            "Sesso": "F",
            "Data di nascita": "15/01/1990",
            "Paese di nascita": "Marocco",
            "Cittadinanza": "Morocco",
            "Codice fiscale": FATIMA_CF,
            "Comune di residenza": "Dalmine",
            "Indirizzo": "Via Roma 1",
            "Telefono": "333 1234567",
            "E-mail": "fatima.benali@example.org",
            "Operatore": "caseworker",
            "Livello di italiano": "B1",
            "Altre lingue": "arabo madrelingua, francese B2",
            "Titolo di studio": "diploma",
            "Titolo conseguito": "Baccalauréat",
            "Conseguito all'estero": "sì",
            "Riconosciuto in Italia": "no",
            "Esperienze": "carrellista:2; Addetto magazzino:1,5; cameriera:3",
            "Competenze": "conduzione-carrello; Preparazione ordini (picking)",
            "Certificazioni": "abilitazione-carrelli-elevatori:10/02/2024; sicurezza-generale",
            "Patenti": "b, c",
            "Auto propria": "no",
            "Km massimi": 25,
            "Disponibile dal": datetime.datetime(2026, 10, 1),  # noqa: DTZ001 - as openpyxl reads it
            "Orario": "tempo pieno",
            "Turni": "due turni",
            "Weekend": "sì",
            "Carichi di cura": "sì",
            "Permesso di soggiorno": "lavoro",
            "Scadenza permesso": "30/06/2027",
            "Consenso programma": "sì",
            "Consenso matching": "sì",
            "Consenso profilo anonimo": "sì",
        }
    )
    row.update(changes)
    return row


def draft(**changes) -> dict:
    """Only a name and a phone: a draft to complete later."""
    row = dict.fromkeys(HEADERS)
    row.update({"Nome": "Ion", "Cognome": "Popescu", "Telefono": "347 7654321"})
    row.update(changes)
    return row


def sheet(*rows: dict, headers=HEADERS, name="candidati.xlsx"):
    return xlsx_upload(
        {"Candidati": [headers, *[[row.get(h) for h in headers] for row in rows]]}, name
    )


@pytest.fixture
def run(centre, caseworker):
    """`run(file, ...)`: import into the centre as its caseworker."""

    def _run(file, *, actor=caseworker, into=centre, dry_run=False, confirm=False):
        return import_candidates(
            file, centre=into, actor=actor, dry_run=dry_run, confirm_duplicates=confirm
        )

    return _run


# The import ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_a_good_file_registers_complete_rows_and_saves_the_others_as_drafts(
    run, centre, caseworker
):
    report = run(sheet(person(), draft()))

    assert report.ok, report.errors
    assert report.created["Candidati"] == 2
    assert (report.registered, report.drafts) == (1, 1)
    assert "Registered: 1; drafts: 1." in report.summary()
    fatima = Candidate.objects.get(codice_fiscale=FATIMA_CF)
    assert (fatima.status, fatima.centre, fatima.caseworker) == ("registered", centre, caseworker)
    assert (fatima.sex, fatima.birth_date) == ("F", datetime.date(1990, 1, 15))
    assert (fatima.birth_country.code, fatima.nationality.code) == ("MA", "MA")
    assert (fatima.residence_comune.name, fatima.phone) == ("Dalmine", "333 1234567")
    assert (fatima.italian_level, fatima.education, fatima.education_abroad) == (
        "B1",
        "upper_secondary",
        True,
    )
    assert (fatima.driving_licences, fatima.own_car, fatima.max_commute_km) == ("B, C", False, 25)
    assert (fatima.hours, fatima.shifts, fatima.weekends, fatima.care_duties) == (
        "full_time",
        "two",
        True,
        True,
    )
    assert (fatima.permit_type, fatima.permit_expiry) == ("work", datetime.date(2027, 6, 30))
    assert fatima.available_from == datetime.date(2026, 10, 1)
    assert [
        (e.profile.code if e.profile else e.description, e.years)
        for e in fatima.experiences.order_by("pk")
    ] == [("carrellista", 2), ("addetto-magazzino", 1.5), ("cameriera", 3)]
    assert set(fatima.skills.values_list("code", flat=True)) == {
        "conduzione-carrello",
        "preparazione-ordini",
    }
    links = {link.certification.code: link for link in fatima.certification_links.all()}
    forklift = links["abilitazione-carrelli-elevatori"]
    assert (forklift.obtained_on, forklift.expires_on) == (
        datetime.date(2024, 2, 10),
        datetime.date(2029, 2, 10),  # valid five years
    )
    assert links["sicurezza-generale"].obtained_on is None
    assert (fatima.consent_programme, fatima.consent_matching) == (True, True)
    assert (fatima.consent_share_profile, fatima.consent_share_contacts) == (True, False)

    ion = Candidate.objects.get(last_name="Popescu")
    assert (ion.status, ion.centre, ion.created_by) == ("draft", centre, caseworker)


def test_consents_and_status_history_record_the_importing_user(run, caseworker):
    run(sheet(person()))

    fatima = Candidate.objects.get()
    consents = ConsentRecord.objects.filter(candidate=fatima)
    assert {(c.purpose, c.granted) for c in consents} == {
        ("programme", True),
        ("matching", True),
        ("share_profile", True),
    }
    assert {(c.recorded_by, c.notice_version) for c in consents} == {
        (caseworker, settings.PRIVACY_NOTICE_VERSION)
    }
    history = StatusChange.objects.filter(candidate=fatima).order_by("pk")
    assert [(s.from_status, s.to_status, s.changed_by) for s in history] == [
        ("", "draft", caseworker),
        ("draft", "registered", caseworker),
    ]


def test_sex_and_birth_date_left_empty_are_read_from_the_codice_fiscale(run):
    report = run(sheet(person(**{"Sesso": None, "Data di nascita": None})))
    assert report.ok, report.errors
    fatima = Candidate.objects.get()
    assert (fatima.sex, fatima.birth_date, fatima.status) == (
        "F",
        datetime.date(1990, 1, 15),
        "registered",
    )


@pytest.mark.usefixtures("english")
def test_one_bad_row_writes_nothing_and_the_error_names_sheet_row_and_column(run):
    report = run(sheet(draft(), person(**{"Cittadinanza": "Atlantide"})))

    assert located(report) == [("Candidati", 3, "Cittadinanza")]
    assert "“Atlantide” is not a country" in report.errors[0].message
    assert not Candidate.objects.exists()
    assert not ConsentRecord.objects.exists()


@pytest.mark.usefixtures("english")
def test_every_problem_of_the_file_is_listed_at_once(run):
    report = run(
        sheet(
            person(**{"Data di nascita": "16/01/1990", "Esperienze": "carrellista:tanti"}),
            draft(**{"Patenti": "B, Z", "Comune di residenza": "Roma"}),
            draft(**{"Nome": "Ana", "Operatore": "nessuno"}),
        )
    )
    assert located(report) == [
        ("Candidati", 2, "Esperienze"),
        ("Candidati", 2, "Data di nascita"),
        ("Candidati", 3, "Patenti"),
        ("Candidati", 3, "Comune di residenza"),
        ("Candidati", 4, "Operatore"),
    ]
    messages = [error.message for error in report.errors]
    assert "The codice fiscale says 15/01/1990" in messages[1]
    assert "“Z” is not a licence category" in messages[2]
    assert "outside the provinces of the programme (BG)" in messages[3]
    assert "No caseworker of Diakonia Bergamo has the username “nessuno”." in messages[4]
    assert not Candidate.objects.exists()


def test_importing_the_same_file_twice_updates_instead_of_duplicating(run):
    run(sheet(person(), draft()))
    report = run(
        sheet(
            person(**{"Telefono": "333 0000000", "Esperienze": "carrellista:3"}),
            draft(**{"Cognome": "POPESCU", "Indirizzo": "Via Moroni 5"}),
        )
    )

    assert report.ok, report.errors
    assert (report.created["Candidati"], report.updated["Candidati"]) == (0, 2)
    assert Candidate.objects.count() == 2
    fatima = Candidate.objects.get(codice_fiscale=FATIMA_CF)
    assert fatima.phone == "333 0000000"
    assert [(e.profile.code, e.years) for e in fatima.experiences.all()] == [("carrellista", 3)]
    assert ConsentRecord.objects.filter(candidate=fatima).count() == 3  # nothing changed
    assert Candidate.objects.get(last_name__iexact="popescu").address == "Via Moroni 5"


def test_a_certificate_imported_again_with_a_new_date_expires_after_its_validity_from_it(run):
    run(sheet(person()))
    run(sheet(person(**{"Certificazioni": "abilitazione-carrelli-elevatori:01/03/2025"})))

    forklift = Candidate.objects.get().certification_links.get()
    assert (forklift.obtained_on, forklift.expires_on) == (
        datetime.date(2025, 3, 1),
        datetime.date(2030, 3, 1),
    )


def test_importing_a_certificate_again_with_the_same_date_keeps_the_expiry_entered_for_it(run):
    run(sheet(person()))
    Candidate.objects.get().certification_links.filter(obtained_on__isnull=False).update(
        expires_on=datetime.date(2027, 6, 30)  # what the certificate says, typed at intake
    )
    run(sheet(person()))

    forklift = Candidate.objects.get().certification_links.get(obtained_on__isnull=False)
    assert forklift.expires_on == datetime.date(2027, 6, 30)


def test_a_column_left_out_keeps_what_the_portal_has(run):
    run(sheet(person()))
    report = run(sheet(person(**{"Telefono": "333 0000000"}), headers=HEADERS[:11]))

    assert report.ok, report.errors
    fatima = Candidate.objects.get()
    assert fatima.phone == "333 0000000"
    assert (fatima.consent_matching, fatima.experiences.count(), fatima.skills.count()) == (
        True,
        3,
        2,
    )


def test_without_codice_fiscale_a_person_is_known_by_name_and_birth_date_in_the_centre(
    run, centre, other_centre
):
    known = CandidateFactory(
        centre=centre, first_name="Ion", last_name="Popescu", birth_date=datetime.date(1980, 5, 2)
    )
    elsewhere = CandidateFactory(
        centre=other_centre,
        first_name="Ion",
        last_name="Popescu",
        birth_date=datetime.date(1980, 5, 2),
    )
    file = sheet(draft(**{"Nome": "ION", "Data di nascita": "02/05/1980", "Indirizzo": "Via X"}))
    report = run(file)

    assert report.ok, report.errors
    assert report.updated["Candidati"] == 1
    known.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (known.address, elsewhere.address) == ("Via X", "")
    assert Candidate.objects.count() == 2


def test_the_same_name_with_another_birth_date_is_another_person(run, centre):
    CandidateFactory(
        centre=centre, first_name="Ion", last_name="Popescu", birth_date=datetime.date(1980, 5, 2)
    )
    report = run(sheet(draft(**{"Data di nascita": "02/05/1981"})))
    assert report.created["Candidati"] == 1
    assert Candidate.objects.count() == 2


@pytest.mark.usefixtures("english")
def test_a_codice_fiscale_of_another_centre_imports_as_any_row_and_the_office_reviews_it(
    run, other_centre
):
    other = CandidateFactory(
        centre=other_centre, first_name="Nadia", last_name="Kettani", codice_fiscale=FATIMA_CF
    )
    report = run(sheet(person()))

    assert report.ok, report.errors
    assert report.created["Candidati"] == 1
    fatima = Candidate.objects.exclude(pk=other.pk).get()
    review = DuplicateReview.objects.get()
    assert (review.candidate, review.existing) == (fatima, other)
    assert review.reasons == ["codice_fiscale"]
    other.refresh_from_db()
    assert (other.centre, other.first_name) == (other_centre, "Nadia")


@pytest.mark.usefixtures("english")
def test_a_person_twice_in_the_file_names_both_rows(run):
    report = run(sheet(person(), draft(), person(**{"Telefono": "333 999"}), draft()))
    assert located(report) == [("Candidati", 4, "Codice fiscale"), ("Candidati", 5, "Nome")]
    assert "row 2" in report.errors[0].message
    assert "row 3" in report.errors[1].message
    assert not Candidate.objects.exists()


@pytest.mark.usefixtures("english")
def test_a_possible_duplicate_by_phone_is_refused_unless_confirmed(run, centre):
    CandidateFactory(centre=centre, first_name="Nadia", last_name="Kettani", phone="333 1234567")
    report = run(sheet(person()))

    assert located(report) == [("Candidati", 2, "Telefono")]
    message = report.errors[0].message
    assert "Same phone as Nadia Kettani, already in the portal." in message
    assert Candidate.objects.count() == 1

    report = run(sheet(person()), confirm=True)
    assert report.ok, report.errors
    assert Candidate.objects.count() == 2


@pytest.mark.usefixtures("english")
def test_staff_are_told_who_the_possible_duplicate_is(run, staff, centre):
    CandidateFactory(centre=centre, first_name="Nadia", last_name="Kettani", email="F@X.IT")
    report = run(sheet(draft(**{"E-mail": "f@x.it"})), actor=staff)
    assert located(report) == [("Candidati", 2, "E-mail")]
    assert "Same e-mail as Nadia Kettani, already in the portal." in report.errors[0].message


@pytest.mark.usefixtures("english")
def test_two_people_of_the_file_sharing_a_phone_need_the_confirmation(run):
    shared = "035 111222"
    file = sheet(person(**{"Telefono": shared}), draft(**{"Telefono": shared}))
    report = run(file)
    assert located(report) == [("Candidati", 3, "Telefono")]
    assert "Same phone as row 2 of this file." in report.errors[0].message

    file.seek(0)
    assert run(file, confirm=True).ok
    assert Candidate.objects.count() == 2


def test_a_confirmed_duplicate_is_not_refused_again_at_the_next_import(run, centre):
    CandidateFactory(centre=centre, phone="333 1234567")
    run(sheet(person()), confirm=True)
    report = run(sheet(person(**{"Indirizzo": "Via Nuova 2"})))
    assert report.ok, report.errors
    assert Candidate.objects.get(codice_fiscale=FATIMA_CF).address == "Via Nuova 2"


def test_a_dry_run_reports_the_counts_and_writes_nothing(run):
    report = run(sheet(person(), draft()), dry_run=True)
    assert report.ok
    assert (report.created["Candidati"], report.registered, report.drafts) == (2, 1, 1)
    assert not Candidate.objects.exists()


def test_a_caseworker_may_not_import_into_another_centre(run, other_centre):
    with pytest.raises(PermissionDenied):
        run(sheet(person()), into=other_centre)
    assert not Candidate.objects.exists()


def test_reading_a_file_looks_the_catalogue_up_once_whatever_its_length(
    db, django_assert_num_queries
):
    many = [person(**{"Codice fiscale": None, "Nome": f"Persona {n}"}) for n in range(30)]
    # comuni, profiles, skills, certifications
    with django_assert_num_queries(4):
        read_workbook(sheet(person()), SPECS)
    with django_assert_num_queries(4):
        read_workbook(sheet(*many), SPECS)


# A whole row read from a table the import looks things up in (the service's writes only
# check that a row exists: SELECT 1).
LOOKUP = re.compile(
    r'SELECT "(catalog_jobprofile|catalog_skill|catalog_certification|catalog_comune'
    r'|accounts_user|candidates_candidate)"\."id"'
)


def test_the_import_looks_things_up_once_whatever_the_number_of_rows(run, centre):
    for n in range(5):
        CandidateFactory(centre=centre, first_name=f"Persona {n}", last_name="Benali")

    def lookups(*rows):
        with CaptureQueriesContext(connection) as queries:
            assert run(sheet(*rows), dry_run=True).ok
        return [query["sql"] for query in queries if LOOKUP.match(query["sql"])]

    people = [
        draft(**{"Nome": f"Persona {n}", "Cognome": "Benali", "Telefono": f"0{n}"})
        for n in range(10)
    ]
    # profiles, skills, certifications, comuni; the centre's caseworkers; the candidates the
    # rows may be; those they may duplicate
    assert len(lookups(person())) == 7
    assert len(lookups(person(), *people)) == 7


# The command --------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_the_command_lists_the_errors_and_exits_non_zero(centre, admin, tmp_path):
    path = save(sheet(person(**{"Sesso": "X"}), draft()), tmp_path)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 problems found: nothing was imported"):
        call_command("import_candidates", path, "--centre", centre.code, stderr=stderr)
    assert stderr.getvalue().startswith("Sheet Candidati, row 2, column Sesso: “X” is not one")
    assert not Candidate.objects.exists()


@pytest.mark.usefixtures("english")
def test_the_command_imports_as_the_first_administrator_by_default(centre, admin, tmp_path):
    stdout = io.StringIO()
    path = save(sheet(person(**{"Operatore": None}), draft()), tmp_path)
    call_command("import_candidates", path, "--centre", centre.code, stdout=stdout)
    assert "Candidati: 2 created, 0 updated. Registered: 1; drafts: 1." in stdout.getvalue()
    fatima = Candidate.objects.get(codice_fiscale=FATIMA_CF)
    assert (fatima.centre, fatima.created_by) == (centre, admin)
    assert {record.recorded_by for record in fatima.consents.all()} == {admin}


@pytest.mark.usefixtures("english")
def test_the_command_takes_the_user_dry_run_and_confirmation(centre, caseworker, tmp_path):
    CandidateFactory(centre=centre, phone="333 1234567")
    path = save(sheet(person()), tmp_path)
    args = ["import_candidates", path, "--centre", centre.code, "--user", "caseworker"]
    with pytest.raises(CommandError):
        call_command(*args, stderr=io.StringIO())
    call_command(*args, "--confirm-duplicates", "--dry-run", stdout=io.StringIO())
    assert not Candidate.objects.filter(codice_fiscale=FATIMA_CF).exists()
    call_command(*args, "--confirm-duplicates", stdout=io.StringIO())
    assert Candidate.objects.get(codice_fiscale=FATIMA_CF).created_by == caseworker


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--centre", "nowhere"], "No active charity centre has the code “nowhere”"),
        (["--centre", "caritas-treviglio", "--user", "caseworker"], "may not import"),
    ],
)
def test_the_command_refuses_an_unknown_centre_or_a_user_of_another(
    centre, other_centre, caseworker, tmp_path, options, problem
):
    path = save(sheet(person()), tmp_path)
    with pytest.raises(CommandError, match=problem):
        call_command("import_candidates", path, *options)
    assert not Candidate.objects.exists()


def test_the_template_command_writes_the_candidates_template(db, tmp_path):
    path = tmp_path / "candidati.xlsx"
    call_command("import_template", "candidates", str(path), stdout=io.StringIO())
    assert [cell.value for cell in load_workbook(path)["Candidati"][1]] == HEADERS


# The pages ----------------------------------------------------------------------------------


@pytest.fixture
def caseworker_client(login, english_pages, caseworker):
    return login(caseworker)


@pytest.fixture
def staff_client(login, english_pages, staff):
    return login(staff)


def test_a_caseworker_imports_into_their_own_centre_whatever_the_form_says(
    caseworker_client, centre, other_centre
):
    page = caseworker_client.get(reverse("candidates:import"))
    assert 'name="centre"' not in page.text
    assert reverse("candidates:import_template") in page.text

    response = caseworker_client.post(
        reverse("candidates:import"),
        {"file": sheet(person(), draft()), "centre": other_centre.pk},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("candidates:list"), 302)]
    assert "Candidati: 2 created, 0 updated. Registered: 1; drafts: 1." in response.text
    assert set(Candidate.objects.values_list("centre", flat=True)) == {centre.pk}


def test_staff_choose_the_centre_among_the_charity_centres(staff_client, centre, company):
    page = staff_client.get(reverse("candidates:import"))
    choices = page.context["form"].fields["centre"].queryset
    assert centre in choices
    assert company.organisation not in choices

    response = staff_client.post(
        reverse("candidates:import"), {"file": sheet(draft()), "centre": centre.pk}
    )
    assert response.status_code == 302
    assert Candidate.objects.get().centre == centre


def test_staff_must_choose_a_centre(staff_client):
    response = staff_client.post(reverse("candidates:import"), {"file": sheet(draft())})
    assert response.status_code == 200
    assert response.context["form"].errors["centre"]
    assert not Candidate.objects.exists()


def test_the_upload_page_lists_the_problems_and_imports_nothing(caseworker_client):
    response = caseworker_client.post(
        reverse("candidates:import"), {"file": sheet(draft(), draft(**{"Sesso": "X"}))}
    )
    assert response.status_code == 200
    assert "1 problem: nothing was imported" in response.text
    row = r'<td>Candidati</td>\s*<td class="text-end">3</td>\s*<td>Sesso</td>\s*<td>[^<]*X'
    assert re.search(row, response.text)
    assert not Candidate.objects.exists()


def test_the_upload_page_asks_to_confirm_possible_duplicates(caseworker_client, centre):
    known = CandidateFactory(centre=centre, phone="347 7654321")
    response = caseworker_client.post(reverse("candidates:import"), {"file": sheet(draft())})
    assert f"Same phone as {known}, already in the portal." in response.text
    assert not Candidate.objects.filter(last_name="Popescu").exists()

    response = caseworker_client.post(
        reverse("candidates:import"), {"file": sheet(draft()), "confirm_duplicates": "on"}
    )
    assert response.status_code == 302
    assert Candidate.objects.filter(last_name="Popescu").exists()


def test_a_check_only_upload_writes_nothing(caseworker_client):
    response = caseworker_client.post(
        reverse("candidates:import"), {"file": sheet(person()), "dry_run": "on"}, follow=True
    )
    assert response.redirect_chain == [(reverse("candidates:import"), 302)]
    assert "nothing was written" in response.text
    assert not Candidate.objects.exists()


# What the page shows for each kind of file, and the status it answers with.
REFUSED = refused_uploads("Candidati", HEADERS, unknown="Codice sanitario")


@pytest.mark.parametrize("kind", list(REFUSED))
def test_the_upload_page_refuses_bad_files_with_a_clear_message(caseworker_client, kind):
    build, message, status = REFUSED[kind]
    response = caseworker_client.post(reverse("candidates:import"), {"file": build()})
    assert response.status_code == status
    assert message in response.text
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("role", ["company_hr", "recruiter"])
def test_company_hr_and_recruiters_may_not_import(login, personas, centre, role):
    client = login(personas[role])
    assert client.get(reverse("candidates:import")).status_code == 403
    assert client.get(reverse("candidates:import_template")).status_code == 403
    response = client.post(
        reverse("candidates:import"), {"file": sheet(draft()), "centre": centre.pk}
    )
    assert response.status_code == 403
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("role", ["admin", "staff", "caseworker"])
def test_the_candidate_list_offers_the_import_to_those_who_may(login, personas, role):
    page = login(personas[role]).get(reverse("candidates:list")).text
    actions = re.search(r'data-testid="candidate-actions">(.*?)</div>', page, re.DOTALL)[1]
    assert reverse("candidates:import") in actions
    assert reverse("candidates:import_template") in actions


def test_the_template_download_opens_with_the_headers_and_instructions(caseworker_client):
    response = caseworker_client.get(reverse("candidates:import_template"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Candidati", "Istruzioni"]
    assert [cell.value for cell in workbook["Candidati"][1]] == HEADERS
    described = {row[1] for row in workbook["Istruzioni"].iter_rows(values_only=True)}
    assert set(HEADERS) <= described


def test_the_template_filled_in_imports(caseworker_client, run):
    response = caseworker_client.get(reverse("candidates:import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    workbook["Candidati"].append([person().get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(upload(buffer.getvalue()))
    assert report.ok, report.errors
    assert Candidate.objects.get().status == "registered"


@pytest.mark.usefixtures("english")
@pytest.mark.django_db
def test_a_file_without_the_candidati_sheet_is_refused(run):
    with pytest.raises(ImportRefused, match="none of the sheets “Candidati”"):
        run(xlsx_upload({"Foglio1": [HEADERS]}))


@pytest.mark.usefixtures("english")
def test_other_languages_are_read_as_languages_of_the_list_with_their_level(run):
    report = run(sheet(person()))
    assert report.ok, report.errors
    fatima = Candidate.objects.get(codice_fiscale=FATIMA_CF)
    assert sorted(fatima.languages.values_list("language", "level")) == [
        ("ar", "native"),
        ("fr", "B2"),
    ]

    # Imported again with another level: the row is updated, not doubled.
    report = run(sheet(person(**{"Altre lingue": "francese C1"})))
    assert report.ok, report.errors
    assert list(fatima.languages.values_list("language", "level")) == [("fr", "C1")]


@pytest.mark.usefixtures("english")
def test_a_language_that_cannot_be_read_stops_the_row_and_names_the_cell(run):
    report = run(sheet(person(**{"Altre lingue": "francese B1, un po' di klingon"})))
    assert located(report) == [("Candidati", 2, "Altre lingue")]
    assert "un po' di klingon" in report.errors[0].message
    assert not Candidate.objects.exists()
