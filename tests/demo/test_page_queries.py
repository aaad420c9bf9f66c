"""How many queries each page of the benchmark's list makes (demo/pages.py), at two sizes of
the scaled demo world (demo/scale.py): a page whose count grows with the data reads a row at a
time somewhere."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.testing import logged_in
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateSkill,
    Experience,
    StatusChange,
)
from catalog.models import Certification, JobProfile, Skill
from companies.models import NeedSkill
from demo import scale
from demo.management.commands.seed_demo import COMPANIES, ORGANISATIONS, USERS
from demo.pages import ROLES, measured_pages
from interviews.models import Interview, Obstacle, RecommendedAction, SuitableProfile
from matching.models import Entry, Shortlist
from training.models import Course, Enrolment, FollowUp, SupportAction

# Two worlds of `seed_demo --scale N`: at 700 candidates every list of the page list has rows
# to show (a caseworker's follow-ups due, a recruiter's agenda...), at 1 100 its lists are longer.
SIZES = (700, 1100)


def _keys(pages, prefix: str) -> list[int]:
    """The keys of the records the pages open under `prefix` ("/candidates/<pk>/")."""
    keys = []
    for _role, _name, path in pages:
        head, _slash, key = path.rstrip("/").rpartition("/")
        if head == prefix and key.isdigit():
            keys.append(int(key))
    return keys


def _completed(pages) -> None:
    """Give each record the pages open a row of every kind its page shows, where the world
    gave it none: the world draws them at random record by record, so the record a page
    opens at one size can have certificates or support actions and at the other none, and
    a page makes a query less for a kind of row it has none of."""
    staff = User.objects.get(username="staff")
    today = timezone.localdate()
    skill = Skill.objects.order_by("pk")[0]
    certification = Certification.objects.order_by("pk")[0]
    profile = JobProfile.objects.order_by("pk")[0]
    course = Course.objects.order_by("pk")[0]
    shortlist = Shortlist.objects.order_by("pk")[0]
    for interview in Interview.objects.filter(pk__in=_keys(pages, "/interviews")):
        assessment = interview.assessment
        if not Obstacle.objects.filter(assessment=assessment).exists():
            Obstacle.objects.create(assessment=assessment, kind="transport", severity=2)
        if not SuitableProfile.objects.filter(assessment=assessment).exists():
            SuitableProfile.objects.create(
                assessment=assessment, profile=profile, rank=1, candidate=interview.candidate
            )
        if not RecommendedAction.objects.filter(assessment=assessment).exists():
            RecommendedAction.objects.create(assessment=assessment, kind="training")
    for candidate in Candidate.objects.filter(pk__in=_keys(pages, "/candidates")):
        if not CandidateSkill.objects.filter(candidate=candidate).exists():
            CandidateSkill.objects.create(candidate=candidate, skill=skill)
        if not CandidateCertification.objects.filter(candidate=candidate).exists():
            CandidateCertification.objects.create(
                candidate=candidate, certification=certification, obtained_on=today
            )
        if not Experience.objects.filter(candidate=candidate, profile__isnull=False).exists():
            Experience.objects.create(candidate=candidate, profile=profile, years=2)
        if not SupportAction.objects.filter(candidate=candidate, due_on__lte=today).exists():
            SupportAction.objects.create(
                candidate=candidate, kind="transport", owner=staff, created_by=staff, due_on=today
            )
        if not Enrolment.objects.filter(candidate=candidate).exists():
            Enrolment.objects.create(course=course, candidate=candidate, proposed_by=staff)
        if not FollowUp.objects.filter(entry__candidate=candidate).exists():
            entry, _new = Entry.objects.get_or_create(
                shortlist=shortlist,
                candidate=candidate,
                defaults={"score": 50, "added_by": staff},
            )
            Entry.objects.filter(pk=entry.pk).update(status="hired", start_date=today)
            FollowUp.objects.create(entry=entry, months=1, due_on=today)
        if not StatusChange.objects.filter(candidate=candidate, to_status="placed").exists():
            StatusChange.objects.create(
                candidate=candidate,
                from_status=candidate.status,
                to_status="placed",
                changed_by=staff,
            )
    for pk in _keys(pages, "/companies/needs"):
        if not NeedSkill.objects.filter(need_id=pk).exists():
            NeedSkill.objects.create(need_id=pk, skill=skill)


def _opened() -> dict[tuple[str, str], tuple[int, list[str]]]:
    """Each page's answer and the queries of its first request, the shared cache emptied
    before it. The world's writes, the logins' and each request's are taken as committed
    (their on-commit callbacks run, as after a commit), so that results kept in the shared
    cache (focus/cache.py) are kept and served as in production, not computed afresh as a
    read inside a writing transaction is."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        pages = measured_pages()
        _completed(pages)
        clients = {role: logged_in(Client(), User.objects.get(username=role)) for role in ROLES}
    opened = {}
    for role, name, path in pages:
        cache.clear()
        with (
            TestCase.captureOnCommitCallbacks(execute=True),
            CaptureQueriesContext(connection) as captured,
        ):
            response = clients[role].get(path)
        opened[role, name] = (response.status_code, [query["sql"] for query in captured])
    return opened


@pytest.fixture(scope="module")
def opened(django_db_setup, django_db_blocker):
    """For each size, the answers and queries of every page: the worlds are built one after
    the other, once for the module, each in a transaction rolled back once its pages are
    opened (the tests only read what they answered)."""
    worlds = {}
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
    ):
        for n in SIZES:
            with transaction.atomic():
                with TestCase.captureOnCommitCallbacks(execute=True):
                    scale.build(
                        n,
                        seed=2026,
                        password=None,
                        organisations_spec=ORGANISATIONS,
                        users_spec=USERS,
                        company_names=COMPANIES,
                    )
                worlds[n] = _opened()
                transaction.set_rollback(True)
    return worlds


# The queries of each page's first request, the shared cache emptied before it, in the order
# they run. Every page begins with the session and the user with their organisation
# ("auth"); admin, staff and recruiter then read the device of their second factor
# ("auth+2FA"). The statements "of the cache" are the database cache's (the default one,
# table focus_cache) for the page's results kept by focus/cache.py: for each, a read of its
# namespace's version and the result, and on a miss (every one, the cache being empty) a
# count of the table, then SAVEPOINT, SELECT, INSERT and RELEASE to store the result, and the
# same to add the namespace's version the first time. "A page of" is a list's page (its
# count read before it, for the pagination), "grouped" one GROUP BY query.
QUERIES = {
    # auth+2FA; campaigns; the latest gap analysis; count of needs; a page of needs; count of
    # shortlist entries; a page of shortlist entries
    ("staff", "home"): 9,
    # auth+2FA; companies, needs and people needed (one aggregate); every count of candidates:
    # the funnel, the classes, the hires after support or a course (one aggregate); needs by
    # profile; suitable candidates by profile; the profiles' names; obstacles by kind; tranches
    # with their interviews and classes; their names; retention by class, by profile and by
    # company (three grouped); support actions by kind and status; their cost by funding
    # channel; courses by status with their seats; enrolments by course status, status and
    # reason; near-ready to ready by profile, and in all; the campaigns of the filter form;
    # + 48 of the cache (8 results kept)
    ("staff", "dashboard"): 69,
    # auth+2FA; count of candidates; job profiles; organisations; job profiles; a page of
    # candidates
    ("staff", "candidate list"): 8,
    # auth+2FA; the candidate; languages; experience; skills; skill names; certificates;
    # certification names; consent records; users; status history; travel arrangements; records
    # the view in the audit trail (INSERT); interviews; assessments; obstacles; suitable profiles;
    # job profiles; recommended actions; support actions; obstacles of those (m2m); enrolments;
    # courses; follow-up checks; a page of documents
    ("staff", "candidate"): 27,
    # auth+2FA; count of companies; ATECO codes; campaigns; a page of companies
    ("staff", "company list"): 7,
    # auth+2FA; the company; a page of needs; shortlists grouped; users
    ("staff", "company"): 7,
    # auth+2FA; the campaign; count of needs; needs; campaigns; job profiles; a page of needs
    ("staff", "need list"): 9,
    # auth+2FA; the need; the need's skills; skill names; the need's certifications
    ("staff", "need"): 7,
    # auth+2FA; campaigns; campaigns grouped
    ("staff", "campaign list"): 5,
    # auth+2FA; the campaign; count of needs; needs; a page of needs; the need's skills; skill
    # names; the need's certifications; + 11 of the cache (1 result kept)
    ("staff", "campaign"): 21,
    # auth+2FA; needs grouped; needs grouped; needs; needs grouped; needs; job profiles; comuni;
    # campaigns; campaigns; + 17 of the cache (2 results kept)
    ("staff", "demand"): 29,
    # auth+2FA; the need; the matching weights; the need's skills; the need's certifications; a
    # page of travel arrangements; a page of travel arrangements; candidates; skills; experience
    # grouped; obstacles; shortlists; shortlist entries; + 11 of the cache (1 result kept)
    ("staff", "ranking"): 26,
    # auth+2FA; count of interviews; tranches; a page of interviews
    ("staff", "interview list"): 6,
    # auth+2FA; the interview; its assessment; obstacles; suitable profiles; job profiles;
    # recommended actions; records the view in the audit trail (INSERT); the interview's moves
    ("staff", "interview"): 11,
    # auth+2FA; count of tranches; a page of tranches; tranches grouped; obstacles grouped; + 11
    # of the cache (1 result kept)
    ("staff", "tranche list"): 18,
    # auth+2FA; the tranche; count of interviews; tranches grouped; obstacles grouped; a page of
    # interviews; users; + 11 of the cache (1 result kept)
    ("staff", "tranche dashboard"): 20,
    # auth+2FA; shortlists; shortlists grouped
    ("staff", "shortlist list"): 5,
    # auth+2FA; the shortlist; shortlist entries; shortlist entries
    ("staff", "shortlist"): 6,
    # auth+2FA; count of shortlist entries; a page of shortlist entries
    ("staff", "entry list"): 5,
    # auth+2FA; funding channels; support actions; a page of support actions; their candidates
    ("staff", "support action list"): 7,
    # auth+2FA; the support action; obstacles; the action's history
    ("staff", "support action"): 6,
    # auth+2FA; courses; job profiles; courses grouped; job profiles of those (m2m)
    ("staff", "course list"): 7,
    # auth+2FA; the course; job profiles of those (m2m); skill names of those (m2m); certification
    # names of those (m2m); sessions grouped; the latest gap analysis; enrolments; offers; needs
    ("staff", "course"): 12,
    # auth+2FA; count of enrolments; a page of enrolments; their candidates
    ("staff", "enrolment list"): 6,
    # auth+2FA; count of follow-up checks; job profiles (filter); a page of follow-up checks;
    # their candidates
    ("staff", "follow-up list"): 7,
    # auth+2FA; a page of candidates; a page of companies; a page of needs; a page of shortlist
    # entries
    ("staff", "search"): 7,
    # auth+2FA; count of notifications
    ("staff", "notifications"): 4,
    # auth+2FA; companies, needs and people needed (one aggregate); every count of candidates
    # (one aggregate); count of duplicate reviews; a page of them; + 17 of the cache (2 results
    # kept)
    ("admin", "home"): 24,
    # auth+2FA; companies, needs and people needed (one aggregate); every count of candidates:
    # the funnel, the classes, the hires after support or a course (one aggregate); needs by
    # profile; suitable candidates by profile; the profiles' names; obstacles by kind; tranches
    # with their interviews and classes; their names; retention by class, by profile and by
    # company (three grouped); support actions by kind and status; their cost by funding
    # channel; courses by status with their seats; enrolments by course status, status and
    # reason; near-ready to ready by profile, and in all; the campaigns of the filter form;
    # + 48 of the cache (8 results kept)
    ("admin", "dashboard"): 69,
    # auth+2FA; count of candidates; job profiles; organisations; job profiles; a page of
    # candidates
    ("admin", "candidate list"): 8,
    # auth+2FA; the need; the matching weights; the need's skills; the need's certifications; a
    # page of travel arrangements; a page of travel arrangements; candidates; skills; experience
    # grouped; obstacles; shortlists; shortlist entries; + 11 of the cache (1 result kept)
    ("admin", "ranking"): 26,
    # auth+2FA; count of users; a page of users
    ("admin", "user list"): 5,
    # auth+2FA; organisations; organisations grouped
    ("admin", "organisation list"): 5,
    # auth+2FA; a page of audit events
    ("admin", "audit trail"): 4,
    # auth+2FA; count of interviews; a page of interviews; count of interviews; a page of
    # interviews; count of interviews; a page of interviews
    ("recruiter", "home"): 9,
    # auth+2FA; count of interviews; a page of interviews
    ("recruiter", "agenda"): 5,
    # auth+2FA; count of interviews; tranches; a page of interviews
    ("recruiter", "interview list"): 6,
    # auth+2FA; the interview; its assessment; obstacles; suitable profiles; job profiles;
    # recommended actions; records the view in the audit trail (INSERT); the interview's moves
    ("recruiter", "interview"): 11,
    # auth+2FA; count of candidates; job profiles; job profiles; a page of candidates
    ("recruiter", "candidate list"): 7,
    # auth+2FA; the candidate; languages; experience; skills; skill names; certificates;
    # certification names; consent records; users; status history; travel arrangements; records
    # the view in the audit trail (INSERT); interviews; assessments; obstacles; suitable profiles;
    # job profiles; recommended actions; support actions; obstacles of those (m2m); enrolments;
    # courses; a page of documents
    ("recruiter", "candidate"): 26,
    # auth; count of draft candidates; the first of them; count of support actions due; the
    # first of them; their candidates; count of follow-up checks due; the first of them; their
    # candidates
    ("caseworker", "home"): 10,
    # auth; count of candidates; job profiles; job profiles; a page of candidates
    ("caseworker", "candidate list"): 6,
    # auth; the candidate; languages; experience; skills; skill names; certificates;
    # certification names; consent records; users; status history; travel arrangements; records
    # the view in the audit trail (INSERT); interviews; support actions; obstacles of those (m2m);
    # enrolments; courses; follow-up checks; a page of documents
    ("caseworker", "candidate"): 21,
    # auth; funding channels; support actions; a page of support actions; their candidates
    ("caseworker", "support action list"): 6,
    # auth; count of enrolments; a page of enrolments; their candidates
    ("caseworker", "enrolment list"): 5,
    # auth; count of follow-up checks; job profiles; a page of follow-up checks; their candidates
    ("caseworker", "follow-up list"): 6,
    # auth; campaigns; campaigns grouped; shortlists; shortlists grouped; count of shortlist
    # entries; a page of shortlist entries
    ("hr", "home"): 8,
    # auth; the company; a page of needs; shortlists grouped; users
    ("hr", "company"): 6,
    # auth; shortlists; shortlists grouped
    ("hr", "shortlist list"): 4,
    # auth; the shortlist; shortlist entries; languages; experience; skills; certificates;
    # candidates grouped
    ("hr", "shortlist cards"): 9,
    # auth; count of shortlist entries; a page of shortlist entries
    ("hr", "entry list"): 4,
}


@pytest.mark.django_db
def test_the_pinned_pages_are_those_the_page_benchmark_measures(opened):
    for n in SIZES:
        assert list(opened[n]) == list(QUERIES)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), list(QUERIES))
def test_a_page_makes_its_pinned_number_of_queries_at_either_size(opened, role, name):
    for n in SIZES:
        assert opened[n][role, name][0] == 200, f"{role} {name} at {n} candidates"
    counts = {n: len(opened[n][role, name][1]) for n in SIZES}
    shown = "\n".join(query[:160] for query in opened[SIZES[-1]][role, name][1])
    assert counts == dict.fromkeys(SIZES, QUERIES[role, name]), shown
