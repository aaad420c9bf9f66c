"""The programme office's pages of the audit trail: the filtered list, a page at a time, and
its workbook; the events of reading a candidate's page and an assessment."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit import exporting
from audit.models import AuditEvent
from interviews.models import Assessment
from tests.factories import InterviewFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("audit:event_list")
EXPORT = reverse("audit:event_export")


def _event(**values) -> AuditEvent:
    defaults = {"action": "view", "object_type": "candidates.candidate", "object_id": "1"}
    return AuditEvent.objects.create(**{**defaults, **values})


def _shown(response) -> list[AuditEvent]:
    return list(response.context["events"])


@pytest.mark.parametrize("role", ["staff", "recruiter", "caseworker", "company_hr"])
def test_only_the_administrator_reads_the_trail_and_its_export(login, personas, role):
    client = login(personas[role])
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_menu_offers_the_trail_to_the_administrator_only(login, admin, staff):
    assert f'href="{LIST}"' in login(admin).get(reverse("reports:home")).text
    assert f'href="{LIST}"' not in login(staff).get(reverse("reports:home")).text


def test_the_list_filters_by_action_record_user_candidate_and_day(login, admin, staff):
    today = timezone.localtime()
    by_staff = _event(actor=staff, actor_role="staff", candidate_id=7)
    consent = _event(action="consent", object_type="candidates.consentrecord", candidate_id=7)
    other = _event(action="change", object_type="companies.need", candidate_id=None)
    old = _event(candidate_id=8, at=today - datetime.timedelta(days=10))
    client = login(admin)

    def shown(**query):
        return {e.pk for e in _shown(client.get(LIST, query))} & {
            by_staff.pk,
            consent.pk,
            other.pk,
            old.pk,
        }

    assert shown() == {by_staff.pk, consent.pk, other.pk, old.pk}
    assert shown(action="consent") == {consent.pk}
    assert shown(record="companies.need") == {other.pk}
    assert shown(user="STAFF") == {by_staff.pk}
    assert shown(user=str(staff.pk)) == {by_staff.pk}
    assert shown(candidate="7") == {by_staff.pk, consent.pk}
    day = (today - datetime.timedelta(days=10)).date().isoformat()
    assert shown(date_from=day, date_to=day) == {old.pk}
    assert shown(date_from=today.date().isoformat()) == {by_staff.pk, consent.pk, other.pk}


def test_filters_that_are_not_valid_show_and_export_nothing(login, admin):
    _event()
    client = login(admin)
    query = {"date_from": "2026-02-10", "date_to": "2026-02-01"}
    page = client.get(LIST, query)
    assert _shown(page) == []
    assert "La data di fine del periodo non può precedere quella di inizio." in page.text
    export = client.get(EXPORT, query)
    assert export.status_code == 302
    assert export.url.startswith(LIST + "?")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_candidates_trail_says_whose_it_is(login, admin):
    _event(candidate_id=7)
    page = login(admin).get(LIST, {"candidate": 7})
    assert "candidato n. 7" in page.text
    assert f'href="{reverse("candidates:detail", args=[7])}"' in page.text


def test_the_list_pages_by_keyset_from_the_newest_without_gaps_or_repeats(login, admin):
    moment = timezone.now()
    # Many events in the same instant: the number orders them within it.
    created = [_event(at=moment - datetime.timedelta(seconds=n // 3)) for n in range(120)]
    client = login(admin)
    seen, query, pages = [], {"record": "candidates.candidate"}, 0
    while True:
        response = client.get(LIST, query)
        seen += [e.pk for e in _shown(response)]
        pages += 1
        older = response.context["older"]
        if older is None:
            break
        query = {**query, "older": older}
    expected = [e.pk for e in sorted(created, key=lambda e: (e.at, e.pk), reverse=True)]
    assert seen[: len(expected)] == expected
    assert len(seen) == len(set(seen))
    assert pages == 3
    assert 'data-testid="audit-older"' not in response.text


def test_a_cursor_that_is_no_cursor_shows_the_newest(login, admin):
    client = login(admin)
    newest = _event()
    response = client.get(LIST, {"older": "not-a-cursor"})
    assert _shown(response)[0] == newest


@pytest.mark.parametrize("size", [3, 80])
def test_the_list_runs_a_fixed_number_of_queries_whatever_the_page(
    login, admin, staff, django_assert_num_queries, size
):
    for n in range(size):
        _event(actor=staff if n % 2 else admin, candidate_id=n)
    client = login(admin)
    older = client.get(LIST).context["older"] or ""
    # session, user, their second factor's device, the page of events with their users (one
    # more than shown); no count of the events.
    with django_assert_num_queries(4):
        response = client.get(LIST, {"older": older, "action": "view"})
    assert _shown(response)


def test_the_export_writes_the_filtered_events_and_is_itself_an_event(login, admin, staff):
    plus = UserFactory(username="+zz", role="staff")
    _event(actor=plus, actor_role="staff", candidate_id=7, fields=["notes"])
    _event(actor=staff, actor_role="staff", candidate_id=8)
    client = login(admin)

    response = client.get(EXPORT, {"candidate": 7}, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == ["+zz"]
    assert rows[0][7] == 7
    assert rows[0][8] == "note"
    assert sheet["B2"].quotePrefix  # "+zz" stays text, never a formula
    export = AuditEvent.objects.get(action="export", object_type="audit.auditevent")
    assert (export.actor, export.ip, export.count, export.fields, export.candidate_id) == (
        admin,
        "203.0.113.9",
        1,
        ["candidate"],
        7,
    )


def test_an_export_past_the_limit_says_the_rest_was_left_out(login, admin, monkeypatch):
    monkeypatch.setattr(exporting, "MAX_ROWS", 3)
    for _ in range(5):
        _event()
    response = login(admin).get(EXPORT, {"action": "view"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len([v for v in values if isinstance(v, datetime.datetime)]) == 3
    assert any(isinstance(v, str) and "Solo i 3 eventi più recenti" in v for v in values)
    assert AuditEvent.objects.get(action="export").count == 3


def test_opening_a_candidates_page_is_one_view_event(login, caseworker, candidate, events):
    client = login(caseworker)
    start = len(events())
    client.get(reverse("candidates:detail", args=[candidate.pk]), REMOTE_ADDR="198.51.100.30")
    [event] = events()[start:]
    assert (event.action, event.object_type, event.object_id, event.candidate_id) == (
        "view",
        "candidates.candidate",
        str(candidate.pk),
        candidate.pk,
    )
    assert (event.actor, event.actor_role, event.ip) == (caseworker, "caseworker", "198.51.100.30")


def test_the_candidates_page_links_the_administrator_to_their_trail(login, admin, staff, candidate):
    trail = f"{LIST}?candidate={candidate.pk}"
    assert trail in login(admin).get(reverse("candidates:detail", args=[candidate.pk])).text
    assert trail not in login(staff).get(reverse("candidates:detail", args=[candidate.pk])).text


def test_the_user_page_links_to_what_the_user_did(login, admin, staff):
    page = login(admin).get(reverse("accounts:user_update", args=[staff.pk]))
    assert f"{LIST}?user={staff.pk}" in page.text


def test_opening_an_assessment_is_a_view_event_of_the_assessment(
    login, recruiter, candidate, events
):
    interview = InterviewFactory(candidate=candidate, recruiter=recruiter)
    assessment = Assessment.objects.create(
        interview=interview, employability="A", recorded_by=recruiter
    )
    client = login(recruiter)
    start = len(events())
    client.get(reverse("interviews:interview_detail", args=[interview.pk]))
    client.get(reverse("interviews:interview_assess", args=[interview.pk]))
    viewed = events()[start:]
    assert [(e.action, e.object_type, e.object_id, e.candidate_id) for e in viewed] == [
        ("view", "interviews.assessment", str(assessment.pk), candidate.pk)
    ] * 2


def test_a_programme_workbook_downloaded_is_an_export_event_with_the_address(login, staff, events):
    client = login(staff)
    start = len(events())
    response = client.post(reverse("reports:export"), REMOTE_ADDR="198.51.100.40")
    assert response.status_code == 302  # to the export's page; the worker writes it
    [event] = events()[start:]
    assert (event.action, event.object_type, event.actor, event.actor_role, event.ip) == (
        "export",
        "reports.exportrecord",
        staff,
        "staff",
        "198.51.100.40",
    )


def test_a_programme_workbook_written_by_the_command_names_who_it_was_for(admin, events, tmp_path):
    call_command(
        "export_report", str(tmp_path / "out.xlsx"), "--user", "admin", stdout=io.StringIO()
    )
    [event] = events(action="export")
    assert (event.object_type, event.actor, event.ip) == ("reports.exportrecord", admin, None)
