"""Follow-up after placement: a hire schedules checks at 1, 3 and 6 months, the candidate's
centre records them, a job that ended makes the candidate available again and reopens the
need, and the dashboard shows how many placements last."""

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Consent
from candidates.services import consent_set
from catalog.models import JobProfile
from companies.models import Need
from matching.models import Entry, Shortlist
from matching.ranking import rank
from matching.services import entry_move, shortlist_add, shortlist_share
from reports.figures import retention_figures
from tests.factories import CandidateFactory, CompanyFactory, InterviewFactory, NeedFactory
from training.models import FollowUp
from training.services import follow_up_record, follow_ups_schedule, months_after

TODAY = timezone.localdate


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


def hire(need, candidate, *, staff, company_hr, start, contract=Need.Contract.FIXED_TERM):
    """Through the pipeline as the pages take it: shortlisted, interview requested by the
    company, agreed by staff, hired from `start`. The candidate consents to share a profile,
    without which the company never sees them."""
    consent_set(candidate=candidate, purpose=Consent.SHARE_PROFILE, granted=True, actor=staff)
    entry = shortlist_add(need=need, candidate=candidate, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_AGREED, actor=staff)
    return entry_move(
        entry=entry, to=Entry.Status.HIRED, actor=staff, contract=contract, start_date=start
    )


@pytest.fixture
def need(company):
    return NeedFactory(company=company, headcount=1)


@pytest.fixture
def placement(need, candidate, staff, company_hr):
    """The persona's candidate, hired 40 days ago: the 1-month check is due (overdue)."""
    return hire(need, candidate, staff=staff, company_hr=company_hr, start=days_ago(40))


def check(entry, months: int) -> FollowUp:
    return entry.follow_ups.get(months=months)


def _record(client, follow_up, **data):
    form = {"outcome": "still_employed", "done_on": TODAY().isoformat(), **data}
    return client.post(reverse("training:follow_up_record", args=[follow_up.pk]), form)


# Scheduling -------------------------------------------------------------------------------


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert months_after(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_after(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert months_after(datetime.date(2026, 9, 15), 6) == datetime.date(2027, 3, 15)


@pytest.mark.django_db
def test_a_hire_schedules_three_checks_at_one_three_and_six_months_from_the_start(
    need, candidate, staff, company_hr
):
    entry = hire(
        need, candidate, staff=staff, company_hr=company_hr, start=datetime.date(2026, 8, 31)
    )
    checks = list(entry.follow_ups.order_by("months").values_list("months", "due_on", "status"))
    assert checks == [
        (1, datetime.date(2026, 9, 30), "pending"),
        (3, datetime.date(2026, 11, 30), "pending"),
        (6, datetime.date(2027, 2, 28), "pending"),
    ]
    candidate.refresh_from_db()
    need.refresh_from_db()
    assert (candidate.status, need.status) == ("placed", "filled")


@pytest.mark.django_db
def test_scheduling_again_adds_no_second_check_and_the_database_refuses_one(placement, staff):
    assert follow_ups_schedule(entry=placement, actor=staff) == []
    assert placement.follow_ups.count() == 3
    with pytest.raises(ValidationError):
        FollowUp(entry=placement, months=3, due_on=TODAY()).full_clean()


@pytest.mark.django_db
def test_the_migration_schedules_the_checks_of_hires_made_before_follow_ups(placement):
    placement.follow_ups.all().delete()
    migration = import_module("training.migrations.0006_follow_ups")
    migration.schedule_existing_hires(django_apps, None)
    migration.schedule_existing_hires(django_apps, None)  # a second run adds nothing
    due = dict(placement.follow_ups.values_list("months", "due_on"))
    assert due == {m: months_after(placement.start_date, m) for m in (1, 3, 6)}


# Recording --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_caseworker_records_a_check_from_the_list(login, caseworker, placement):
    client = login(caseworker)
    first = check(placement, 1)
    listed = client.get(reverse("training:follow_up_list")).text
    record_url = reverse("training:follow_up_record", args=[first.pk])
    assert record_url in listed
    assert "in ritardo" in listed  # due ten days ago
    response = _record(
        client,
        first,
        outcome="extended",
        difficulties="Turno delle 6: l'autobus arriva tardi",
        note="Prorogato di sei mesi",
    )
    assert response.url == first.get_absolute_url()
    page = client.get(response.url).text
    assert "Verifica di follow-up registrata." in page
    assert "Contratto prorogato" in page
    assert "Turno delle 6: l&#x27;autobus arriva tardi" in page
    first.refresh_from_db()
    assert (first.status, first.outcome, first.done_on, first.recorded_by) == (
        "done",
        "extended",
        TODAY(),
        caseworker,
    )
    # Still in the job: nothing else changes.
    assert Candidate.objects.get(pk=placement.candidate_id).status == "placed"
    assert placement.follow_ups.filter(status="pending").count() == 2


@pytest.mark.django_db
def test_a_second_submit_is_refused_with_a_message_and_keeps_the_first_record(
    login, caseworker, placement
):
    client = login(caseworker)
    first = check(placement, 1)
    _record(client, first, outcome="permanent", note="Assunta a tempo indeterminato")
    again = _record(client, first, outcome="ended", ended_on=TODAY().isoformat())
    page = client.get(again.url).text
    assert "Questa verifica è già stata registrata il" in page
    first.refresh_from_db()
    assert (first.outcome, first.note, first.ended_on) == (
        "permanent",
        "Assunta a tempo indeterminato",
        None,
    )
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert Candidate.objects.get(pk=placement.candidate_id).status == "placed"
    # The form of a recorded check is not offered again either.
    form_page = client.get(reverse("training:follow_up_record", args=[first.pk]), follow=True)
    assert 'data-testid="follow-up-form"' not in form_page.text


@pytest.mark.django_db
def test_the_service_checks_the_stored_check_not_the_one_it_is_given(placement, caseworker):
    stale = check(placement, 3)
    follow_up_record(follow_up=stale, actor=caseworker, outcome="still_employed")
    assert stale.status == "pending"  # the caller's copy, read before the first record
    with pytest.raises(ValidationError, match="già stata registrata"):
        follow_up_record(follow_up=stale, actor=caseworker, outcome="permanent")
    assert check(placement, 3).outcome == "still_employed"


@pytest.mark.django_db
def test_an_ended_job_without_its_date_keeps_what_was_typed_and_saves_nothing(
    login, caseworker, placement
):
    first = check(placement, 1)
    response = _record(login(caseworker), first, outcome="ended", difficulties="Troppi turni")
    assert response.status_code == 200
    assert "Indica la data in cui il lavoro è terminato." in response.text
    assert "Troppi turni" in response.text
    assert re.search(r'<input type="radio"[^>]* value="ended"[^>]* checked>', response.text)
    first.refresh_from_db()
    assert first.status == "pending"


@pytest.mark.django_db
def test_a_check_cannot_be_recorded_ahead_of_time_nor_the_job_end_before_its_start(
    login, caseworker, placement
):
    client = login(caseworker)
    first = check(placement, 1)
    ahead = _record(client, first, done_on=(TODAY() + datetime.timedelta(days=1)).isoformat())
    assert "Una verifica non può essere registrata in anticipo." in ahead.text
    early = _record(client, first, outcome="ended", ended_on=days_ago(60).isoformat())
    assert "Un lavoro non può terminare prima di iniziare." in early.text
    first.refresh_from_db()
    assert first.status == "pending"


# A job that ended --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_that_ended_makes_the_candidate_available_and_reopens_the_need(
    login, caseworker, placement, need, candidate
):
    assert Need.objects.get(pk=need.pk).status == "filled"
    assert rank(need, candidate=candidate).rows == []  # placed: knocked out
    ended = days_ago(5)
    response = _record(
        login(caseworker),
        check(placement, 1),
        outcome="ended",
        ended_on=ended.isoformat(),
        difficulties="Periodo di prova non superato",
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "registered"  # never assessed: back to registered
    change = candidate.status_changes.first()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "placed",
        "registered",
        caseworker,
    )
    assert "Meccanica Orobica S.p.A." in change.reason
    assert Need.objects.get(pk=need.pk).status == "open"
    placement.refresh_from_db()
    assert placement.ended_on == ended
    assert placement.status == "hired"  # the hire stays in the pipeline's history
    assert dict(placement.follow_ups.values_list("months", "status")) == {
        1: "done",
        3: "not_needed",
        6: "not_needed",
    }
    assert rank(need, candidate=candidate).rows  # ranked for the need again


@pytest.mark.django_db
def test_the_shortlist_shows_staff_the_end_of_the_job_and_the_company_nothing_of_it(
    login, staff, company_hr, placement
):
    follow_up_record(
        follow_up=check(placement, 1),
        actor=staff,
        outcome="ended",
        ended_on=days_ago(4),
        difficulties="Periodo di prova non superato",
    )
    Shortlist.objects.filter(pk=placement.shortlist_id).update(shared_at=timezone.now())
    ended = days_ago(4).strftime("%d/%m/%Y")
    staff_page = login(staff).get(
        reverse("matching:shortlist_detail", args=[placement.shortlist_id])
    )
    assert f"il lavoro è terminato il {ended}" in staff_page.text
    cards = login(company_hr).get(
        reverse("matching:shortlist_cards", args=[placement.shortlist_id])
    )
    assert cards.status_code == 200
    assert "terminato" not in cards.text
    assert "Periodo di prova" not in cards.text


@pytest.mark.django_db
def test_an_assessed_candidate_goes_back_to_interviewed_and_a_closed_check_says_why(
    login, caseworker, placement, candidate
):
    Candidate.objects.filter(pk=candidate.pk).update(employability="B")
    client = login(caseworker)
    _record(client, check(placement, 1), outcome="ended", ended_on=days_ago(3).isoformat())
    assert Candidate.objects.get(pk=candidate.pk).status == "interviewed"
    later = check(placement, 6)
    page = client.get(later.get_absolute_url()).text
    assert "Non più necessaria" in page
    assert "il lavoro è terminato il" in page
    refused = _record(client, later).url
    assert "Questa verifica non serve più" in client.get(refused).text


@pytest.mark.django_db
def test_the_need_stays_filled_while_enough_hires_are_in_post(company, staff, company_hr):
    need = NeedFactory(company=company, headcount=1)
    first, second = (
        hire(need, CandidateFactory(), staff=staff, company_hr=company_hr, start=days_ago(50))
        for _ in range(2)
    )
    follow_up_record(follow_up=check(first, 1), actor=staff, outcome="ended", ended_on=days_ago(10))
    assert Need.objects.get(pk=need.pk).status == "filled"  # the second is still in post
    follow_up_record(follow_up=check(second, 1), actor=staff, outcome="ended", ended_on=days_ago(2))
    assert Need.objects.get(pk=need.pk).status == "open"


@pytest.mark.django_db
def test_a_reopened_need_is_filled_again_by_counting_only_the_hires_in_post(
    company, staff, company_hr
):
    need = NeedFactory(company=company, headcount=2)
    people = [CandidateFactory() for _ in range(3)]
    first = hire(need, people[0], staff=staff, company_hr=company_hr, start=days_ago(50))
    follow_up_record(follow_up=check(first, 1), actor=staff, outcome="ended", ended_on=days_ago(10))
    hire(need, people[1], staff=staff, company_hr=company_hr, start=days_ago(5))
    assert Need.objects.get(pk=need.pk).status == "open"  # one in post of two needed
    hire(need, people[2], staff=staff, company_hr=company_hr, start=days_ago(1))
    assert Need.objects.get(pk=need.pk).status == "filled"


@pytest.mark.django_db
def test_a_candidate_suspended_since_the_hire_stays_suspended(placement, candidate, staff):
    Candidate.objects.filter(pk=candidate.pk).update(status="suspended")
    follow_up_record(
        follow_up=check(placement, 1), actor=staff, outcome="ended", ended_on=days_ago(1)
    )
    assert Candidate.objects.get(pk=candidate.pk).status == "suspended"


# The pages and their scope ------------------------------------------------------------------


@pytest.fixture
def checks_due(placement, other_candidate, company, staff, company_hr):
    """The persona's candidate's 1-month check due today, their 3-month one overdue, their
    6-month one recorded; another centre's candidate's check due today."""
    FollowUp.objects.filter(pk=check(placement, 1).pk).update(due_on=TODAY())
    FollowUp.objects.filter(pk=check(placement, 3).pk).update(due_on=days_ago(2))
    follow_up_record(follow_up=check(placement, 6), actor=staff, outcome="still_employed")
    other = hire(
        NeedFactory(company=company),
        other_candidate,
        staff=staff,
        company_hr=company_hr,
        start=days_ago(40),
    )
    FollowUp.objects.filter(pk=check(other, 1).pk).update(due_on=TODAY())
    return placement, other


def _listed(client, **query) -> list[tuple[str, int]]:
    response = client.get(reverse("training:follow_up_list"), query)
    assert response.status_code == 200
    return [(str(c.entry.candidate), c.months) for c in response.context["page"]]


@pytest.mark.django_db
def test_the_list_shows_what_is_due_this_week_overdue_pending_and_done(
    login, caseworker, checks_due, candidate
):
    client = login(caseworker)
    name = str(candidate)
    assert _listed(client) == [(name, 3), (name, 1)]  # still to make, the oldest due first
    assert _listed(client, show="week") == [(name, 1)]
    assert _listed(client, show="overdue") == [(name, 3)]
    assert _listed(client, show="done") == [(name, 6)]
    assert len(_listed(client, show="all")) == 3
    assert _listed(client, show="all", months=6) == [(name, 6)]


@pytest.mark.django_db
def test_staff_see_every_centres_checks(login, staff, checks_due, other_candidate):
    assert (str(other_candidate), 1) in _listed(login(staff), show="week")


@pytest.mark.django_db
def test_another_centres_caseworker_gets_404_for_a_check(
    login, other_caseworker, checks_due, candidate
):
    client = login(other_caseworker)
    first = check(checks_due[0], 1)
    for name in ("training:follow_up_detail", "training:follow_up_record"):
        assert client.get(reverse(name, args=[first.pk])).status_code == 404
    assert _record(client, first).status_code == 404
    assert str(candidate) not in client.get(reverse("training:follow_up_list")).text
    assert check(checks_due[0], 1).status == "pending"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["recruiter", "company_hr"])
def test_recruiters_and_company_hr_see_no_follow_up(login, personas, checks_due, role):
    client = login(personas[role])
    first = check(checks_due[0], 1)
    assert client.get(reverse("training:follow_up_list")).status_code == 403
    assert client.get(first.get_absolute_url()).status_code == 404
    assert _record(client, first).status_code == 404
    home = client.get(reverse("reports:home")).text
    assert reverse("training:follow_up_list") not in home


@pytest.mark.django_db
def test_the_recruiter_of_a_hired_candidate_does_not_see_their_follow_ups(
    login, recruiter, placement, candidate
):
    InterviewFactory(candidate=candidate, recruiter=recruiter)
    page = login(recruiter).get(candidate.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="follow-ups"' not in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("hires", [1, 12])
def test_the_list_runs_a_fixed_number_of_queries(
    login, caseworker, centre, company, staff, company_hr, django_assert_num_queries, hires
):
    for _ in range(hires):
        hire(
            NeedFactory(company=company),
            CandidateFactory(centre=centre, caseworker=caseworker),
            staff=staff,
            company_hr=company_hr,
            start=days_ago(20),
        )
    client = login(caseworker)
    client.get(reverse("training:follow_up_list"))  # warm the session
    # session, user with organisation, the count for the paginator, the page of checks with
    # their companies and profiles (searched, sorted by candidate), the page's candidates with
    # their centres (by key), the profiles of the filter's pick list
    with django_assert_num_queries(6):
        response = client.get(
            reverse("training:follow_up_list"), {"q": company.name, "sort": "candidate"}
        )
    assert response.context["page"].paginator.count == 3 * hires
    assert len(response.context["page"]) == min(3 * hires, 30)


# The candidate's page and the home page -------------------------------------------------------


@pytest.mark.django_db
def test_the_candidates_page_shows_their_checks_with_a_link_to_record_them(
    login, caseworker, placement, candidate
):
    html = login(caseworker).get(candidate.get_absolute_url()).text
    assert 'data-testid="follow-ups"' in html
    assert "Follow-up dopo l'inserimento" in html
    assert "Meccanica Orobica S.p.A." in html
    assert reverse("training:follow_up_record", args=[check(placement, 1).pk]) in html
    assert html.count('data-testid="follow-up" data-status="pending"') == 3


@pytest.mark.django_db
@pytest.mark.parametrize("placements", [1, 3])
def test_the_candidate_page_reads_the_checks_in_one_query(
    login, caseworker, candidate, company, staff, company_hr, django_assert_num_queries, placements
):
    for _ in range(placements):
        hire(
            NeedFactory(company=company),
            candidate,
            staff=staff,
            company_hr=company_hr,
            start=days_ago(20),
        )
        Candidate.objects.filter(pk=candidate.pk).update(status="registered")  # free again
    client = login(caseworker)
    client.get(candidate.get_absolute_url())  # warm the session
    # session, user, candidate, experiences, skills, certifications, consents and who recorded
    # them, status changes, travel arrangements, interviews, support actions, course
    # enrolments, courses still enrolling; then the follow-up checks with their placements and
    # companies; the documents, the languages, and the audit trail's "view" event (one insert)
    with django_assert_num_queries(18):
        response = client.get(candidate.get_absolute_url())
    assert response.text.count('data-testid="placement"') == placements


@pytest.mark.django_db
def test_the_caseworker_home_shows_the_checks_due_by_sunday_overdue_first_linking_to_them(
    login, caseworker, checks_due, candidate
):
    client = login(caseworker)
    panels = {p.key: p for p in client.get(reverse("reports:home")).context["home"].panels}
    due = panels["follow_ups"]
    assert due.count == 2  # their centre's only: the overdue one and today's
    assert [(row.label, row.flag) for row in due.rows] == [
        (str(candidate), "in ritardo"),
        (str(candidate), ""),
    ]
    assert client.get(due.url).context["page"].paginator.count == due.count


@pytest.mark.django_db
def test_the_follow_up_list_of_the_checks_due_by_sunday_counts_every_centres_for_staff(
    login, staff, checks_due
):
    assert _listed(login(staff), show="due") == [
        (str(checks_due[0].candidate), 3),
        (str(checks_due[0].candidate), 1),
        (str(checks_due[1].candidate), 1),
    ]


@pytest.mark.django_db
def test_the_follow_up_list_is_in_the_menu_of_caseworkers_and_staff_only(login, personas):
    url = reverse("training:follow_up_list")
    for role in ("admin", "staff", "caseworker"):
        assert f'href="{url}"' in login(personas[role]).get(reverse("reports:home")).text, role
    for role in ("recruiter", "company_hr"):
        assert f'href="{url}"' not in login(personas[role]).get(reverse("reports:home")).text


# Retention on the dashboard -------------------------------------------------------------------


@pytest.fixture
def retention_world(centre, other_centre, caseworker, staff):
    """Six placements started 200 days ago, so that every check is due, each recorded as
    written below (P6 of another centre). Counted by hand in the tests that use it:

    | placement | profile  | company | class | 3 months             | 6 months                 |
    |-----------|----------|---------|-------|----------------------|--------------------------|
    | P1        | assembly | A       | A     | still employed: kept | made permanent: kept     |
    | P2        | assembly | A       | B     | extended: kept       | ended 10 days before: lost|
    | P3        | welder   | B       | B     | (ended at 1 month)   | (ended at 1 month): lost |
    | P4        | welder   | B       | A     | still employed: kept | ended 2 days after: kept |
    | P5        | assembly | B       | C     | pending              | pending                  |
    | P6        | assembly | A       | A     | ended before: lost   | (ended): lost            |
    """
    assembly = JobProfile.objects.get(code="addetto-assemblaggio")
    welder = JobProfile.objects.get(code="addetto-saldatura")
    company_a = CompanyFactory(organisation__name="Fonderie Brembo Nord")
    company_b = CompanyFactory(organisation__name="Saldature Serio")
    start = days_ago(200)

    def placement(profile, company, cls, where=centre):
        need = NeedFactory(company=company, profile=profile, headcount=5)
        shortlist = Shortlist.objects.create(need=need, created_by=staff)
        person = CandidateFactory(centre=where, employability=cls, status="placed")
        entry = Entry.objects.create(
            shortlist=shortlist,
            candidate=person,
            score=70,
            added_by=staff,
            status=Entry.Status.HIRED,
            contract=Need.Contract.FIXED_TERM,
            start_date=start,
        )
        follow_ups_schedule(entry=entry, actor=staff)
        return entry

    def record(entry, months, outcome, *, late=0, ended=None):
        due = check(entry, months).due_on
        follow_up_record(
            follow_up=check(entry, months),
            actor=staff,
            outcome=outcome,
            done_on=due + datetime.timedelta(days=late),
            ended_on=None if ended is None else due + datetime.timedelta(days=ended),
        )

    p1 = placement(assembly, company_a, "A")
    record(p1, 3, "still_employed")
    record(p1, 6, "permanent")
    p2 = placement(assembly, company_a, "B")
    record(p2, 3, "extended")
    record(p2, 6, "ended", ended=-10)
    p3 = placement(welder, company_b, "B")
    record(p3, 1, "ended", late=5, ended=5)
    p4 = placement(welder, company_b, "A")
    record(p4, 3, "still_employed")
    record(p4, 6, "ended", late=5, ended=2)
    placement(assembly, company_b, "C")
    p6 = placement(assembly, company_a, "A", where=other_centre)
    record(p6, 3, "ended", ended=-20)
    return {"assembly": assembly, "welder": welder, "a": company_a, "b": company_b}


def _cells(row):
    return (row.at_3.kept, row.at_3.known), (row.at_6.kept, row.at_6.known)


@pytest.mark.django_db
def test_retention_at_three_and_six_months_for_the_programme(staff, retention_world):
    figures = retention_figures(staff)
    assert _cells(figures.total) == ((3, 5), (2, 5))
    assert (figures.total.at_3.percent, figures.total.at_6.percent) == (60, 40)
    profiles = {row.label: _cells(row) for row in figures.profiles}
    assert profiles == {
        "Addetto assemblaggio/montaggio": ((2, 3), (1, 3)),
        "Addetto saldatura": ((1, 2), (1, 2)),
    }
    companies = {row.label: _cells(row) for row in figures.companies}
    assert companies == {
        "Fonderie Brembo Nord": ((2, 3), (1, 3)),
        "Saldature Serio": ((1, 2), (1, 2)),
    }
    classes = {row.label: _cells(row) for row in figures.classes}
    assert classes == {
        "A - collocabile subito": ((2, 3), (2, 3)),
        "B - serve supporto o formazione": ((1, 2), (0, 2)),
    }


@pytest.mark.django_db
def test_a_caseworker_sees_the_retention_of_their_centre_without_companies(
    caseworker, retention_world
):
    figures = retention_figures(caseworker)
    assert _cells(figures.total) == ((3, 4), (2, 4))
    assert (figures.total.at_3.percent, figures.total.at_6.percent) == (75, 50)
    assert figures.companies == []


@pytest.mark.django_db
def test_the_dashboard_shows_retention_and_each_count_opens_the_checks_it_counts(
    login, staff, retention_world
):
    client = login(staff)
    response = client.get(reverse("reports:dashboard"))
    html = response.text
    assert "Permanenza al lavoro dopo l'inserimento" in html
    assert "Ancora al lavoro a 3 mesi: 3 su 5 inserimenti" in html
    assert "Saldature Serio" in html
    retention = response.context["retention"]
    cells = [retention.total.at_3, retention.total.at_6]
    for _caption, _heading, _key, rows in retention.tables:
        cells += [cell for row in rows for cell in row.cells]
    for cell in cells:
        assert cell.url
        assert client.get(cell.url).context["page"].paginator.count == cell.known, cell.url


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 6])
def test_retention_takes_three_grouped_queries_however_many_placements(
    staff, retention_world, more, django_assert_num_queries
):
    for _ in range(more):
        need = NeedFactory(company=CompanyFactory(), headcount=1)
        entry = Entry.objects.create(
            shortlist=Shortlist.objects.create(need=need, created_by=staff),
            candidate=CandidateFactory(employability="B", status="placed"),
            score=60,
            added_by=staff,
            status=Entry.Status.HIRED,
            start_date=days_ago(120),
        )
        follow_ups_schedule(entry=entry, actor=staff)
        follow_up_record(follow_up=check(entry, 3), actor=staff, outcome="still_employed")
    # by employability class, by profile, by company
    with django_assert_num_queries(3):
        figures = retention_figures(staff)
    assert figures.total.at_3.known == 5 + more


@pytest.mark.django_db
def test_company_hr_never_see_retention_on_their_dashboard(login, company_hr, retention_world):
    response = login(company_hr).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert 'data-testid="retention"' not in response.text
    assert "retention" not in response.context
