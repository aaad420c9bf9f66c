"""The import writes the new people of a file together: as many queries for a long file as
for a short one, and the same records as one registration at a time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from candidates.importing import import_candidates
from candidates.models import Candidate, ConsentRecord, StatusChange
from tests.candidates.test_import import draft, person, sheet
from tests.factories import CandidateFactory
from tests.spreadsheets.workbooks import located


@pytest.fixture
def run(centre, caseworker):
    def _run(file):
        return import_candidates(file, centre=centre, actor=caseworker, dry_run=False)

    return _run


def people(n: int) -> list[dict]:
    """`n` complete rows of different people, known by name and birth date."""
    return [
        person(
            **{
                "Codice fiscale": None,
                "Nome": f"Persona {i}",
                "Telefono": f"0{i}",
                "E-mail": f"persona{i}@example.org",
            }
        )
        for i in range(n)
    ]


def test_new_people_are_written_in_as_many_queries_for_ten_as_for_one(run):
    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            report = run(sheet(*rows))
        assert report.ok, report.errors
        return len(captured)

    one = queries(people(1))
    Candidate.objects.all().delete()
    assert queries(people(10)) == one
    assert Candidate.objects.filter(status="registered").count() == 10


def test_people_written_together_have_their_history_links_and_audit_events(run, caseworker):
    assert run(sheet(*people(3), draft())).ok

    for candidate in Candidate.objects.filter(first_name__startswith="Persona"):
        history = StatusChange.objects.filter(candidate=candidate).order_by("pk")
        assert [(s.from_status, s.to_status) for s in history] == [
            ("", "draft"),
            ("draft", "registered"),
        ]
        assert candidate.experiences.count() == 3
        assert candidate.languages.count() == 2
        assert candidate.skill_links.count() == 2
        assert candidate.certification_links.count() == 2
        events = AuditEvent.objects.filter(candidate_id=candidate.pk)
        assert events.filter(action="create", object_type__icontains="candidate").exists()
        assert events.filter(action="consent").count() == 3
    ion = Candidate.objects.get(last_name="Popescu")
    assert (ion.status, ion.caseworker, ion.consent_programme) == ("draft", caseworker, False)


@pytest.mark.usefixtures("english")
def test_an_update_that_shares_a_phone_with_a_new_person_of_the_file_names_their_row(run, centre):
    ion = CandidateFactory(
        centre=centre, first_name="Ion", last_name="Popescu", birth_date=None, phone="0999"
    )
    report = run(sheet(person(), draft(**{"Telefono": "333 1234567"})))

    assert located(report) == [("Candidati", 3, "Telefono")]
    assert "Same phone as row 2 of this file." in report.errors[0].message
    assert not Candidate.objects.filter(first_name="Fatima").exists()
    ion.refresh_from_db()
    assert ion.phone == "0999"


def changed(n: int, **more) -> list[dict]:
    """The rows of `people(n)` again, each person's address, Italian, languages' levels,
    years of experience and when a certificate was obtained changed."""
    return [
        {
            **row,
            "Indirizzo": "Via Nuova 2",
            "Livello di italiano": "B2",
            "Altre lingue": "arabo madrelingua, francese C1",
            "Esperienze": "carrellista:4; Addetto magazzino:1,5; cameriera:3",
            "Certificazioni": "abilitazione-carrelli-elevatori:10/02/2025; sicurezza-generale",
            **more,
        }
        for row in people(n)
    ]


@pytest.mark.parametrize("n", [2, 12])
def test_known_people_are_updated_in_as_many_queries_for_twelve_as_for_two(
    run, n, django_assert_num_queries
):
    assert run(sheet(*people(n))).ok
    versions = dict(Candidate.objects.values_list("pk", "version"))

    # Whatever the rows: the catalogue's job profiles, skills, certifications and comuni (4);
    # the centre's caseworkers; the centre's candidates and their skills, languages,
    # experiences, certificates and certifications (6); the identity index; the savepoints
    # of the writes, of the new people's bulk writes (none) and of the changes', each with
    # its release (6); one bulk update of the candidates and one of each kind of link
    # changed (languages, experiences, certificates), each with one insert of its audit
    # events (8).
    with django_assert_num_queries(26):
        report = run(sheet(*changed(n)))

    assert report.ok, report.errors
    assert (report.created["Candidati"], report.updated["Candidati"]) == (0, n)
    for candidate in Candidate.objects.filter(first_name__startswith="Persona"):
        assert (candidate.address, candidate.italian_level) == ("Via Nuova 2", "B2")
        assert candidate.version == versions[candidate.pk] + 1
        assert dict(candidate.languages.values_list("language", "level")) == {
            "ar": "native",
            "fr": "C1",
        }
        years = {e.profile.code: e.years for e in candidate.experiences.exclude(profile=None)}
        assert years["carrellista"] == 4
        obtained = candidate.certification_links.get(certification__code__startswith="abil")
        assert obtained.obtained_on == datetime.date(2025, 2, 10)
        events = AuditEvent.objects.filter(candidate_id=candidate.pk, action="change")
        assert events.filter(object_type__icontains="candidate").exists()


def test_known_people_updated_together_lose_the_links_the_file_leaves_out(run):
    assert run(sheet(*people(3))).ok
    verified = Candidate.objects.first().skill_links.last()
    verified.verified = True
    verified.save()

    report = run(
        sheet(
            *changed(
                3,
                **{
                    "Competenze": "conduzione-carrello",
                    "Certificazioni": "sicurezza-generale",
                    "Altre lingue": "inglese B1",
                    "Esperienze": "cameriera:5",
                },
            )
        )
    )

    assert report.ok, report.errors
    for candidate in Candidate.objects.filter(first_name__startswith="Persona"):
        skills = set(candidate.skill_links.values_list("skill__code", flat=True))
        expected = {"conduzione-carrello"}
        if candidate.pk == verified.candidate_id:
            expected.add(verified.skill.code)  # a verified skill stays
        assert skills == expected
        assert list(candidate.certification_links.values_list("certification__code", flat=True))
        assert candidate.certification_links.count() == 1
        assert list(candidate.languages.values_list("language", "level")) == [("en", "B1")]
        assert [
            (e.description or e.profile.code, e.years) for e in candidate.experiences.all()
        ] == [("cameriera", 5)]


def test_a_known_draft_completed_by_the_file_is_registered_with_its_consents_logged(run):
    assert run(sheet(draft(**{"Data di nascita": "15/01/1990"}))).ok
    ion = Candidate.objects.get()

    report = run(sheet(person(**{"Nome": "Ion", "Cognome": "Popescu", "Codice fiscale": None})))

    assert report.ok, report.errors
    ion.refresh_from_db()
    assert (ion.status, ion.consent_programme) == ("registered", True)
    history = StatusChange.objects.filter(candidate=ion).order_by("pk")
    assert [(s.from_status, s.to_status) for s in history] == [
        ("", "draft"),
        ("draft", "registered"),
    ]
    assert ConsentRecord.objects.filter(candidate=ion, granted=True).count() == 3


def test_each_known_person_updated_together_has_an_audit_event_naming_their_own_changes(run):
    assert run(sheet(*people(2))).ok
    first, second = people(2)
    first["Indirizzo"] = "Via Nuova 2"
    second["Telefono"] = "0351234567"

    assert run(sheet(first, second)).ok

    def changed_fields(first_name: str) -> set[str]:
        candidate = Candidate.objects.get(first_name=first_name)
        events = AuditEvent.objects.filter(
            candidate_id=candidate.pk, action="change", object_type__icontains="candidate"
        )
        return {field for event in events for field in event.fields}

    assert "address" in changed_fields("Persona 0")
    assert "phone" not in changed_fields("Persona 0")
    assert "phone" in changed_fields("Persona 1")
    assert "address" not in changed_fields("Persona 1")
