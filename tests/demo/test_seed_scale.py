"""The demo world at scale (`seed_demo --scale N`, demo/scale.py), built small: what the
portal's services keep in step must hold in it as in the demo."""

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate, ConsentRecord, StatusChange
from candidates.services import CONSENT_FIELDS
from companies.models import Company, Need, SurveyCampaign
from interviews.models import Assessment, Interview, Tranche
from interviews.services import candidate_facts
from matching.models import Entry, Shortlist
from training.models import Course, Enrolment, FollowUp, SupportAction

N = 600
PASSWORD = "una-password-demo-lunga"
FACTS = ("employability", "severe_obstacle", "italian_level_verified")


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """The scaled world, seeded once for the class and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        yield _seed("--scale", str(N), "--password", PASSWORD)
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("world")
class TestScaledWorld:
    def test_the_demo_logins_are_there(self, world):
        for username in ("admin", "staff", "recruiter", "caseworker", "caseworker2", "hr", "hr2"):
            assert f"  {username} " in world
        assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
        staff = User.objects.get(username="staff")
        assert staff.check_password(PASSWORD)

    def test_counts_are_in_proportion_to_the_candidates(self):
        assert Candidate.objects.count() == N
        assert Company.objects.count() == N // 33
        assert Need.objects.count() == N // 10
        campaigns = set(SurveyCampaign.objects.values_list("status", flat=True))
        assert campaigns == {"open", "closed"}
        assert Need.objects.values("campaign").distinct().count() >= 3
        assert Tranche.objects.count() == 2
        interviews = Interview.objects.count()
        assert N * 0.02 <= interviews <= N * 0.09
        assert Assessment.objects.count() == Interview.objects.filter(status="done").count()
        assert Shortlist.objects.count() == 2
        assert 10 <= Entry.objects.count() <= 2 * 25
        assert Course.objects.exists()
        assert Enrolment.objects.exists()
        assert SupportAction.objects.exists()

    def test_every_interview_is_of_its_recruiter_and_agency_in_its_tranche(self):
        now = timezone.now()
        for interview in Interview.objects.select_related("recruiter", "tranche", "assessment"):
            assert interview.recruiter.role == User.Role.RECRUITER
            assert interview.agency_id == interview.recruiter.organisation_id
            day = timezone.localdate(interview.scheduled_at)
            assert interview.tranche.starts_on <= day <= interview.tranche.ends_on
            done = interview.scheduled_at < now
            assert interview.status == ("done" if done else "scheduled")
            assert hasattr(interview, "assessment") == done
            if done:
                assert interview.assessment.recorded_by_id == interview.recruiter_id
        # One interview a candidate in each tranche, and the demo's recruiter has some.
        assert not (
            Interview.objects.values("tranche", "candidate")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .exists()
        )
        assert Interview.objects.filter(recruiter__username="recruiter").exists()
        # The tranche under way has interviews done and interviews to come.
        under_way = Tranche.objects.get(
            starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate()
        )
        assert set(under_way.interviews.values_list("status", flat=True)) == {"done", "scheduled"}

    def test_nobody_is_in_two_interviews_at_once(self):
        for whose in ("recruiter_id", "candidate_id"):
            times = sorted(Interview.objects.values_list(whose, "scheduled_at", "duration"))
            for (one, starts, minutes), (other, next_starts, _minutes) in itertools.pairwise(times):
                if one == other:
                    assert starts + datetime.timedelta(minutes=minutes) <= next_starts, whose

    def test_statuses_follow_interviews_and_shortlists(self):
        assessed = Candidate.objects.filter(status__in=["interviewed", "shortlisted", "placed"])
        done = Interview.objects.filter(status="done").values("candidate")
        assert assessed.exists()
        assert not assessed.exclude(pk__in=done).exists()
        for person in Candidate.objects.filter(status="placed"):
            assert person.shortlist_entries.filter(status="hired").count() == 1
        for person in Candidate.objects.filter(status="shortlisted"):
            assert person.shortlist_entries.exists()
        hires = Entry.objects.filter(status="hired")
        assert FollowUp.objects.count() == 3 * hires.count()
        assert not hires.filter(start_date__isnull=True).exists()
        assert set(hires.values_list("candidate__status", flat=True)) <= {"placed"}

    def test_consents_and_statuses_are_in_step_with_their_logs(self):
        candidates = Candidate.objects.all()
        assert not candidates.exclude(status="draft").filter(consent_programme=False).exists()
        latest = {}
        for candidate_id, purpose, granted in ConsentRecord.objects.order_by("pk").values_list(
            "candidate_id", "purpose", "granted"
        ):
            latest[candidate_id, purpose] = granted
        history = {}
        for candidate_id, before, after in StatusChange.objects.order_by("pk").values_list(
            "candidate_id", "from_status", "to_status"
        ):
            history.setdefault(candidate_id, []).append((before, after))
        for person in candidates:
            for purpose, field in CONSENT_FIELDS.items():
                assert getattr(person, field) == latest.get((person.pk, purpose), False)
            steps = history[person.pk]
            assert steps[0] == ("", "draft")
            assert all(step[1] == then[0] for step, then in itertools.pairwise(steps))
            assert steps[-1][1] == person.status
        assessed = StatusChange.objects.filter(to_status="interviewed")
        assert set(assessed.values_list("changed_by__role", flat=True)) == {"recruiter"}

    def test_candidates_carry_what_their_assessments_say(self):
        stored = {c.pk: tuple(getattr(c, name) for name in FACTS) for c in Candidate.objects.all()}
        recomputed = {
            c.pk: tuple(candidate_facts(c)[name] for name in FACTS) for c in Candidate.objects.all()
        }
        assert stored == recomputed
        assert {facts[0] for facts in stored.values()} >= {"", "A", "B"}
        assert any(facts[1] for facts in stored.values())
        assert any(facts[2] for facts in stored.values())

    def test_the_demo_companies_shortlists_are_shared_with_them(self, login):
        hr = User.objects.get(username="hr")
        shortlist = Shortlist.objects.get(need__company__organisation=hr.organisation)
        assert shortlist.shared_at is not None
        response = login(hr).get(f"/matching/shortlists/{shortlist.pk}/cards/")
        assert response.status_code == 200

    def test_staff_open_a_need_s_ranking_and_a_tranche_s_dashboard(self, login):
        client = login(User.objects.get(username="staff"))
        need = Need.objects.filter(status="open", campaign__status="open").first()
        response = client.get(f"/matching/needs/{need.pk}/")
        assert response.status_code == 200
        assert need.profile.name_it in response.content.decode()
        tranche = Tranche.objects.filter(starts_on__lte=timezone.localdate()).first()
        response = client.get(f"/interviews/tranches/{tranche.pk}/")
        assert response.status_code == 200
        assert tranche.name in response.content.decode()


@pytest.mark.django_db
def test_scale_refuses_a_database_with_users(settings, admin):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="already has users"):
        _seed("--scale", "200", "--password", PASSWORD)
    assert list(User.objects.all()) == [admin]
    assert not Candidate.objects.exists()
