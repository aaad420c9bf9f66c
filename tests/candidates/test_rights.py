"""The data subject's rights: everything held about a person exported (workbook, JSON, summary
page), their data erased with nothing recognisable left anywhere in the database while the
programme's figures stay as they were, and the retention purge."""

import datetime
import io
import json
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateLanguage,
    CandidateSkill,
    Consent,
    ConsentRecord,
    DuplicateReview,
    Experience,
    StatusChange,
)
from candidates.rights import (
    candidate_erase,
    candidate_purge,
    held_records,
    last_activity,
    retention_due,
)
from candidates.services import candidate_set_status, consents_apply, travel_arrangement_add
from catalog.models import Certification, Comune, JobProfile, Skill
from documents.models import Document
from documents.services import document_upload
from interviews.models import Assessment, InterviewMove
from interviews.services import ActionInput, ObstacleInput, assessment_record
from matching.models import CompanyInterview, CompanyInterviewMove, Entry, Shortlist
from matching.services import entry_move, shortlist_add, shortlist_share
from notifications.models import Notification
from reports.figures import (
    course_costs,
    pathway_figures,
    programme_figures,
    retention_figures,
    support_costs,
)
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory
from training.models import Attendance, Course, Enrolment, GapAnalysis, GapCandidate
from training.services import (
    attendance_record,
    course_move,
    course_save,
    course_session_add,
    enrolment_confirm,
    enrolment_propose,
    support_action_move,
    support_action_propose,
)

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Candidatura non più disponibile."
MARKERS = ("Zqplanted", "planted.example", "+39 399 ")
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _reachable() -> set[type[models.Model]]:
    """Every model whose foreign keys lead to a candidate, found apart from the registry: a
    model with a key to Candidate, or to such a model, and so on."""
    found = {Candidate}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in found and any(
                f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in found
                for f in model._meta.concrete_fields
            ):
                found.add(model)
                grew = True
    return found


@pytest.fixture
def person(centre, caseworker, staff, recruiter, company, company_hr, other_candidate):
    """A candidate with at least one record of every kind the portal holds about a person:
    intake, consents, history, a possible duplicate, an interview and its assessment, two
    shortlist entries (a hire with its follow-ups, and one still open), support actions, a
    completed course with attendance, a row of the training plan, a certificate uploaded."""
    candidate = CandidateFactory(
        centre=centre,
        caseworker=caseworker,
        consent_programme=False,
        consent_matching=False,
        birth_date=datetime.date(1990, 3, 14),
    )
    consents_apply(
        candidate=candidate, consents=dict.fromkeys(Consent.values, True), actor=caseworker
    )
    forklift = JobProfile.objects.get(code="carrellista")
    skill = Skill.objects.get(code="conduzione-carrello")
    Experience.objects.create(candidate=candidate, description="Magazzino", years=2)
    CandidateLanguage.objects.create(candidate=candidate, language="ar", level="native")
    CandidateSkill.objects.create(candidate=candidate, skill=skill)
    certificate = CandidateCertification.objects.create(
        candidate=candidate,
        certification=Certification.objects.get(code="abilitazione-carrelli-elevatori"),
    )
    document_upload(
        candidate=candidate,
        upload=SimpleUploadedFile("Attestato carrello.pdf", b"%PDF-1.7\n%%EOF\n"),
        kind="certificate",
        certification=certificate,
        actor=caseworker,
    )
    travel_arrangement_add(
        candidate=candidate,
        mode="transport_pass",
        destination=Comune.objects.get(istat_code="016024"),
        since=timezone.localdate(),
    )
    DuplicateReview.objects.create(candidate=candidate, existing=other_candidate, reasons=["phone"])
    interview = InterviewFactory(candidate=candidate, recruiter=recruiter)
    assessment_record(
        interview=interview,
        actor=recruiter,
        employability="B",
        obstacles=[ObstacleInput("transport", 2)],
        suitable_profiles=[forklift],
        actions=[ActionInput("transport")],
    )
    action = support_action_propose(candidate=candidate, kind="housing", actor=staff)
    support_action_move(action=action, to="agreed", actor=staff)
    _course(candidate, staff, company, forklift)
    shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
    hire = shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
    shortlist_share(shortlist=hire.shortlist, actor=staff, portal_url="http://testserver")
    entry_move(entry=hire, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    entry_move(entry=hire, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
    entry_move(
        entry=hire,
        to=Entry.Status.HIRED,
        actor=staff,
        contract="fixed_term",
        start_date=timezone.localdate() - datetime.timedelta(days=40),
    )
    # The interviews' times, and the company's interview, each moved once.
    InterviewMove.objects.create(
        interview=interview,
        from_at=interview.scheduled_at,
        to_at=interview.scheduled_at,
        reason="Treno",
        by=staff,
    )
    company_interview = CompanyInterview.objects.create(
        entry=hire,
        starts_at=timezone.now() - datetime.timedelta(days=50),
        place="Sede",
        other_attendees="Capo reparto",
        organised_by=staff,
    )
    CompanyInterviewMove.objects.create(
        interview=company_interview,
        from_at=company_interview.starts_at,
        to_at=company_interview.starts_at,
        reason="Ferie",
        by=staff,
    )
    GapCandidate.objects.create(
        analysis=GapAnalysis.objects.create(status="done", computed_at=timezone.now()),
        profile=forklift,
        candidate=candidate,
        closer="ready",
        needs=1,
    )
    # What the hire told the caseworker (notifications, once the transaction commits).
    Notification.objects.create(
        recipient=caseworker,
        kind=Notification.Kind.HIRED,
        text=f"{candidate} è stata assunta",
        key=f"hired:{hire.pk}",
        candidate=candidate,
    )
    return candidate


def _course(candidate, staff, company, profile) -> None:
    """A course the candidate attended, completed: its enrolment is over, as are its counts."""
    course = course_save(
        course=Course(title="Carrellisti", host=company, seats=5), actor=staff, profiles=[profile]
    )
    day = timezone.localdate()
    session = course_session_add(
        course=course, date=day, starts_at=datetime.time(9), ends_at=datetime.time(13)
    )
    enrolment = enrolment_propose(course=course, candidate=candidate, actor=staff)
    course_move(course=course, to="open", actor=staff)
    enrolment_confirm(enrolment=enrolment, actor=staff)
    course_move(course=course, to="running", actor=staff)
    attendance_record(session=session, present=[enrolment], actor=staff)
    course_move(course=course, to="completed", actor=staff)


def _planted_value(field: models.Field, n: int):
    if isinstance(field, models.EmailField):
        return f"zq{n}@planted.example"
    if "phone" in field.name:
        return f"+39 399 {n:07d}"
    value = f"Zqplanted{n}"
    return [value] if isinstance(field, models.JSONField) else value


def _plant(candidate: Candidate) -> list[str]:
    """A recognisable value in every free-text field of every record held about the person
    (as the registry knows them, so a new field is planted too); returns the values."""
    planted, n = [], 0
    for kind in held_records():
        for field in kind.free_text:
            n += 1
            value = _planted_value(field, n)
            assert kind.rows(candidate.pk).update(**{field.attname: value}), kind.key
            planted.append(value[0] if isinstance(value, list) else value)
    return planted


def _admin_log(user, obj, text: str) -> LogEntry:
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=f"{text} repr",
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": [f"{text} message"]}}]),
    )


def _found(markers) -> list[str]:
    """Where any of `markers` is in the database: every text of every table."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        texts = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not texts:
            continue
        names = [f.attname for f in texts]
        for pk, *values in model._base_manager.values_list("pk", *names).iterator():
            for name, value in zip(names, values, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(marker in text for marker in markers):
                    hits.append(f"{model._meta.label}.{name} #{pk}")
    return hits


def _figures(user):
    return (
        programme_figures(user),
        retention_figures(user),
        pathway_figures(user),
        support_costs(user),
        course_costs(user),
    )


def _at(candidate: Candidate, moment: datetime.datetime) -> None:
    """Every date-time of every record of the candidate at `moment`."""
    for kind in held_records():
        if kind.activity:
            kind.rows(candidate.pk).update(**dict.fromkeys(kind.activity, moment))


# The registry ------------------------------------------------------------------------------


def test_every_model_that_leads_to_a_candidate_is_in_the_registry():
    assert {kind.model for kind in held_records()} == _reachable()


def test_the_person_fixture_holds_a_record_of_every_kind(person):
    empty = [kind.key for kind in held_records() if not kind.rows(person.pk).exists()]
    assert empty == []


# Access and portability --------------------------------------------------------------------


def test_the_json_export_holds_every_record_and_every_planted_value(login, staff, person):
    planted = _plant(person)
    response = login(staff).get(reverse("candidates:data_json", args=[person.pk]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["candidate"] == person.pk
    records = {section["model"]: section for section in document["records"]}
    assert set(records) == {model._meta.label_lower for model in _reachable()}
    assert all(section["rows"] for section in records.values())
    text = response.content.decode()
    assert [value for value in planted if value not in text] == []
    # Whoever acted is named by role, never by name.
    assert staff.get_full_name() not in text
    assert records["candidates.consentrecord"]["rows"][0]["notice_version"] == "2026-01"


def test_the_workbook_has_a_sheet_per_kind_with_every_planted_value(login, admin, person):
    planted = _plant(person)
    response = login(admin).get(reverse("candidates:data_workbook", args=[person.pk]))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 1 + len(held_records())
    assert workbook.sheetnames[1] == "Candidati"
    cells = {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }
    assert [value for value in planted if value not in cells] == []
    headers = next(workbook["Candidati"].iter_rows(values_only=True))
    assert headers[:3] == ("numero", "nome", "cognome")  # the fields' names, in Italian


def test_the_summary_page_lists_everything_consents_companies_and_retention(
    login, staff, person, company, settings
):
    planted = _plant(person)
    response = login(staff).get(reverse("candidates:data", args=[person.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert [value for value in planted if value not in html] == []
    consents = html[html.index('data-testid="consents"') : html.index('data-testid="shared"')]
    assert consents.count("<tr>") == 1 + len(Consent.values)
    assert "2026-01" in consents
    assert "Operatore sociale" in consents
    shared = html[html.index('data-testid="shared"') : html.index('data-testid="retention"')]
    assert str(company) in shared
    assert "Assunto" in shared
    assert "Proposto" in shared
    # Hired and in post: kept while in the job.
    assert "Finché è nel posto di lavoro" in html
    assert AuditEvent.objects.filter(action="export", candidate_id=person.pk).count() == 1


def test_the_summary_says_until_when_the_data_are_kept(login, staff, candidate, settings):
    settings.RETENTION_MONTHS = 18
    _at(candidate, datetime.datetime(2026, 1, 31, 10, tzinfo=datetime.UTC))
    page = login(staff).get(reverse("candidates:data", args=[candidate.pk])).content.decode()
    assert "Fino al 31/07/2027: 18 mesi dopo l'ultima attività nella sua pratica (31/01/2026)" in (
        " ".join(page.split())
    )


def test_the_exports_are_the_programme_offices_only(login, caseworker, candidate):
    client = login(caseworker)
    for name in ("candidates:data", "candidates:data_workbook", "candidates:data_json"):
        assert client.get(reverse(name, args=[candidate.pk])).status_code == 403
    assert 'data-testid="rights"' not in client.get(candidate.get_absolute_url()).text
    assert not AuditEvent.objects.filter(action="export").exists()


# Erasure -----------------------------------------------------------------------------------


def test_nothing_planted_is_left_anywhere_after_the_erasure(
    admin, staff, person, other_candidate, django_capture_on_commit_callbacks
):
    planted = _plant(person)
    files = [Path(document.file.path) for document in Document.objects.filter(candidate=person)]
    assert files
    assert all(path.exists() for path in files)
    Candidate.objects.filter(pk=other_candidate.pk).update(notes="Zqother notes")
    assessment = Assessment.objects.get(interview__candidate=person)
    logs = [_admin_log(admin, obj, "Zqplanted") for obj in (person, assessment)]
    other_log = _admin_log(admin, other_candidate, "Zqother")
    assert len(_found(MARKERS)) >= len(planted)

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=person, actor=staff)

    assert _found(MARKERS) == []
    # The documents go whole, their files too: no blank makes a scan anonymous.
    assert not Document.objects.filter(candidate=person).exists()
    assert not any(path.exists() for path in files)
    # The scan finds what is there: the other person's data are untouched.
    assert set(_found(["Zqother"])) == {
        f"candidates.Candidate.notes #{other_candidate.pk}",
        f"admin.LogEntry.object_repr #{other_log.pk}",
        f"admin.LogEntry.change_message #{other_log.pk}",
    }
    reprs = [LogEntry.objects.get(pk=log.pk) for log in logs]
    assert [(log.object_repr, log.change_message) for log in reprs] == [
        (f"candidates.candidate #{person.pk}", ""),
        (f"interviews.assessment #{assessment.pk}", ""),
    ]


def test_the_erasure_keeps_what_the_figures_and_the_proof_of_consent_need(staff, admin, person):
    before = _figures(admin)
    consents = list(ConsentRecord.objects.filter(candidate=person).values_list("pk", flat=True))
    rows = {kind.key: kind.rows(person.pk).count() for kind in held_records()}

    candidate_erase(candidate=person, actor=staff)

    assert _figures(admin) == before
    person.refresh_from_db()
    assert str(person) == "Persona cancellata"
    assert (person.codice_fiscale, person.phone, person.email, person.address) == ("",) * 4
    assert person.birth_date == datetime.date(1990, 7, 1)
    assert person.birth_country == ""
    assert (person.sex, person.nationality.code, person.italian_level) == ("F", "MA", "A2")
    assert person.residence_comune.istat_code == "016024"
    assert person.status == Candidate.Status.WITHDRAWN
    assert person.erased_at is not None
    assert not any(getattr(person, f"consent_{purpose}") for purpose in Consent.values)
    # The consent log stays, with the withdrawals added; no row went anywhere but the
    # documents, deleted with their files.
    log = ConsentRecord.objects.filter(candidate=person)
    assert set(consents) < set(log.values_list("pk", flat=True))
    assert log.filter(granted=False).count() == len(Consent.values)
    assert {kind.key: kind.rows(person.pk).count() for kind in held_records()} == {
        **rows,
        "candidates.consentrecord": rows["candidates.consentrecord"] + len(Consent.values),
        "candidates.statuschange": rows["candidates.statuschange"] + 1,
        "matching.pipelineevent": rows["matching.pipelineevent"] + 1,  # the open entry
        "documents.document": 0,
    }
    assert StatusChange.objects.filter(candidate=person).first().reason == (
        "Dati personali cancellati"
    )
    open_entry = Entry.objects.filter(candidate=person).exclude(status="hired").get()
    assert (open_entry.status, open_entry.reason) == ("withdrawn", "consent")
    assert Enrolment.objects.get(candidate=person).status == "completed"
    assert Attendance.objects.filter(enrolment__candidate=person).exists()


def test_the_erasure_is_recorded_without_values_and_logged_by_number(
    staff, person, caplog, django_capture_on_commit_callbacks, mailoutbox
):
    name = str(person)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=person, actor=staff)

    event = AuditEvent.objects.get(action="erase")
    assert (event.candidate_id, event.actor, event.fields) == (person.pk, staff, [])
    assert f"Candidate {person.pk} erased" in caplog.text
    assert name not in caplog.text
    assert person.first_name not in caplog.text
    assert mailoutbox == []  # the office decided it: no withdrawal notice


def test_company_hr_see_the_application_as_no_longer_available(
    login, company_hr, staff, company, centre, caseworker
):
    candidate = CandidateFactory(
        centre=centre, caseworker=caseworker, consent_share_profile=True, first_name="Zoraide"
    )
    entry = shortlist_add(need=NeedFactory(company=company), candidate=candidate, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="http://testserver")
    url = reverse("matching:shortlist_cards", args=[entry.shortlist_id])
    hr = login(company_hr)
    assert UNAVAILABLE not in hr.get(url).text

    candidate_erase(candidate=candidate, actor=staff)

    html = hr.get(url).text
    assert UNAVAILABLE in html
    assert entry.code in html
    assert 'data-testid="card"' not in html


def test_staff_erase_from_the_candidates_page_after_confirming(login, staff, candidate):
    client = login(staff)
    page = client.get(candidate.get_absolute_url()).text
    assert 'data-testid="erase"' in page
    assert 'name="sure"' in page
    url = reverse("candidates:erase", args=[candidate.pk])

    unconfirmed = client.post(url, follow=True)
    candidate.refresh_from_db()
    assert candidate.erased_at is None
    assert "Spunta la conferma" in unconfirmed.text

    response = client.post(url, {"sure": "1"}, follow=True)
    candidate.refresh_from_db()
    assert candidate.erased_at is not None
    assert response.redirect_chain[-1][0] == candidate.get_absolute_url()
    assert 'data-testid="erased"' in response.text
    assert 'data-testid="erase"' not in response.text
    assert reverse("candidates:update", args=[candidate.pk]) not in response.text
    assert client.get(reverse("candidates:update", args=[candidate.pk])).status_code == 403
    assert client.post(url, {"sure": "1"}).status_code == 403  # nothing left to erase
    assert AuditEvent.objects.filter(action="erase").count() == 1


def test_an_erased_candidate_cannot_be_erased_twice(staff, candidate):
    candidate_erase(candidate=candidate, actor=staff)
    with pytest.raises(ValidationError, match="già stati cancellati"):
        candidate_erase(candidate=candidate, actor=staff)


# Retention ---------------------------------------------------------------------------------


@pytest.fixture
def due_and_recent(admin, staff, company, centre, caseworker):
    """Three people: one whose last activity is three years old (due), one with something
    a month ago (not due), and one three years old but in post (not due)."""
    due, recent, in_post = (
        CandidateFactory(centre=centre, caseworker=caseworker) for _ in range(3)
    )
    hire = Entry.objects.create(
        shortlist=Shortlist.objects.create(need=NeedFactory(company=company), created_by=staff),
        candidate=in_post,
        score=70,
        added_by=staff,
        status=Entry.Status.HIRED,
    )
    candidate_set_status(candidate=recent, status="suspended", actor=staff)
    for candidate in (due, recent, in_post):
        _at(candidate, timezone.now() - datetime.timedelta(days=3 * 365))
    StatusChange.objects.filter(candidate=recent).update(
        changed_at=timezone.now() - datetime.timedelta(days=30)
    )
    return due, recent, in_post, hire


def _dump() -> dict:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def test_retention_lists_only_those_with_no_recent_activity_and_not_in_post(due_and_recent):
    due, _recent, _in_post, _hire = due_and_recent
    assert list(retention_due().values_list("pk", flat=True)) == [due.pk]


@pytest.mark.parametrize("people", [1, 6])
def test_retention_reads_a_fixed_number_of_queries_however_many_people(
    centre, people, django_assert_num_queries
):
    old = timezone.now() - datetime.timedelta(days=3 * 365)
    for _ in range(people):
        candidate = CandidateFactory(centre=centre)
        InterviewFactory(candidate=candidate)
        _at(candidate, old)
    ways = sum(len(kind.paths) for kind in held_records() if kind.activity)
    # Who is due: one query, whatever their number.
    with django_assert_num_queries(1):
        assert len(list(retention_due())) == people
    # Their last activity: one grouped query per kind of record and way to the candidate.
    with django_assert_num_queries(ways):
        latest = last_activity(retention_due())
    assert set(latest.values()) == {old}


def test_the_purge_dry_run_lists_by_number_and_changes_nothing(due_and_recent, capsys):
    due, _recent, _in_post, _hire = due_and_recent
    before = _dump()

    call_command("purge_expired", "--dry-run")

    assert _dump() == before
    out = capsys.readouterr().out
    moment = timezone.localtime(timezone.now() - datetime.timedelta(days=3 * 365))
    assert f"{due.pk}\t{moment:%Y-%m-%d}" in out
    assert "1 candidates with no activity since" in out
    assert due.last_name not in out
    lines = [line.split("\t")[0] for line in out.splitlines() if "\t" in line]
    assert lines == [str(due.pk)]


def test_the_purge_erases_the_due_one_only_and_records_it(due_and_recent, admin, caplog):
    due, recent, in_post, hire = due_and_recent
    with caplog.at_level(logging.INFO):
        call_command("purge_expired")

    erased = {c.pk for c in Candidate.objects.filter(erased_at__isnull=False)}
    assert erased == {due.pk}
    purge = AuditEvent.objects.get(action="purge")
    assert (purge.candidate_id, purge.actor) == (due.pk, admin)
    assert AuditEvent.objects.filter(action="erase", candidate_id=due.pk).exists()
    assert f"Candidate {due.pk} purged" in caplog.text
    # A second run finds nobody; someone active since they were listed is left alone.
    call_command("purge_expired")
    assert AuditEvent.objects.filter(action="purge").count() == 1
    assert candidate_purge(candidate=recent, actor=admin) is False
    assert candidate_purge(candidate=in_post, actor=admin) is False
    assert Candidate.objects.filter(erased_at__isnull=False).count() == 1
    # Once the job ends, the one in post is due too.
    Entry.objects.filter(pk=hire.pk).update(ended_on=timezone.localdate())
    assert list(retention_due().values_list("pk", flat=True)) == [in_post.pk]
