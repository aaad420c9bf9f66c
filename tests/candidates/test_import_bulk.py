"""The import writes the new people of a file together: as many queries for a long file as
for a short one, and the same records as one registration at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from candidates.importing import import_candidates
from candidates.models import Candidate, StatusChange
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
