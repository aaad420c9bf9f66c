import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import Organisation, User
from candidates.models import Candidate
from catalog.models import JobProfile
from companies.models import Company, Need, SurveyCampaign


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return {
        "users": sorted(User.objects.values_list("username", "first_name", "last_name", "role")),
        "companies": sorted(
            Company.objects.values_list("organisation__name", "partita_iva", "ateco__code")
        ),
        "needs": sorted(
            Need.objects.values_list(
                "company__partita_iva", "campaign__name", "profile__code", "headcount"
            )
        ),
        "candidates": sorted(
            Candidate.objects.values_list("first_name", "last_name", "centre__code", "status")
        ),
    }


def _wipe():
    Candidate.objects.all().delete()
    User.objects.all().delete()
    Company.objects.all().delete()
    SurveyCampaign.objects.all().delete()
    Organisation.objects.all().delete()


@pytest.mark.django_db
def test_seed_gives_one_user_per_role_a_second_company_and_a_second_centre(settings):
    settings.DEBUG = True
    _seed("--password", "una-password-demo-lunga")
    roles = list(User.objects.values_list("role", flat=True))
    assert set(roles) == set(User.Role.values)
    assert roles.count(User.Role.COMPANY_HR) == 2
    assert roles.count(User.Role.CASEWORKER) == 2
    assert Company.objects.filter(organisation__members__role="company_hr").distinct().count() == 2
    assert Organisation.objects.filter(kind="centre").count() == 2
    assert Candidate.objects.filter(centre__code="caritas-treviglio").exists()
    assert authenticate(username="hr2", password="una-password-demo-lunga") is not None


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(settings):
    settings.DEBUG = True
    _seed("--seed", "7", "--password", "una-password-demo-lunga")
    first = _snapshot()
    _wipe()
    _seed("--seed", "7", "--password", "una-password-demo-lunga")
    assert _snapshot() == first
    _wipe()
    _seed("--seed", "8", "--password", "una-password-demo-lunga")
    assert _snapshot()["candidates"] != first["candidates"]


@pytest.mark.django_db
def test_generated_passwords_are_printed_once_and_work(settings):
    settings.DEBUG = True
    output = _seed()
    logins = dict(re.findall(r"^  (\w+)\s+(\S+) ", output, re.MULTILINE))
    assert set(logins) == {"admin", "staff", "recruiter", "caseworker", "caseworker2", "hr", "hr2"}
    assert len(set(logins.values())) == 7
    for username, password in logins.items():
        assert authenticate(username=username, password=password) is not None, username


@pytest.mark.django_db
def test_seed_refuses_a_weak_password(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="12"):
        _seed("--password", "corta")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed("--password", "una-password-demo-lunga")
    assert not User.objects.exists()
    _seed("--password", "una-password-demo-lunga", "--force")
    assert User.objects.count() == 7


@pytest.mark.django_db
def test_seed_leaves_a_database_with_users_untouched(settings, admin):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        _seed("--password", "una-password-demo-lunga")
    assert "left as it is" in _seed("--if-empty")
    assert list(User.objects.all()) == [admin]


@pytest.mark.django_db
def test_seed_gives_305_surveyed_companies_with_needs_for_all_ten_profiles(settings):
    settings.DEBUG = True
    _seed("--password", "una-password-demo-lunga")
    assert Company.objects.count() == 305
    closed, current = SurveyCampaign.objects.order_by("opens_on")
    assert (closed.status, current.status) == ("closed", "open")
    answered = Company.objects.filter(needs__campaign=closed).distinct().count()
    assert answered == 305
    profiles_asked = set(closed.needs.values_list("profile__code", flat=True))
    assert profiles_asked == set(JobProfile.objects.values_list("code", flat=True))
    assert set(Company.objects.values_list("ateco__section", flat=True)) == {"C"}
    assert not Company.objects.filter(comune__province__in=["", None]).exists()
    hr_company = Company.objects.get(organisation__members__username="hr")
    assert not hr_company.needs.filter(campaign=current).exists()
