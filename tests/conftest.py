"""Role personas: one user per role, plus a user of another company and a caseworker of
another charity centre, so that every view can be tried by the right role, a wrong role and
the other organisation."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from accounts.models import Organisation, User
from accounts.testing import logged_in
from catalog.models import JobProfile
from tests.factories import CandidateFactory, CompanyFactory, OrganisationFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (profiles, skills, certifications, comuni, ATECO) is loaded once
    for the whole session, as `make run` and a deployment load it."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


# Whether a transactional test (a browser test: the live server needs committed data) has
# emptied the database since the reference data were last loaded in this process.
_flushed = False


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(fixtures)
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    global _flushed
    _flushed = _flushed or _transactional(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Load the reference data again before the next test that uses the database, whatever
    order the workers run the tests in, once a transactional test has emptied it."""
    global _flushed
    uses_db = item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ())
    if _flushed and (uses_db or _transactional(item)):
        with item.config.stash[blocking_manager_key].unblock():
            call_command("load_reference", verbosity=0)
        _flushed = False


@pytest.fixture
def reference_data(db):
    """For tests that flush the database (live server): load the reference data again."""
    if not JobProfile.objects.exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def english():
    """Gaps, reasons and messages in English, so that assertions survive the Italian
    translation: `pytest.mark.usefixtures("english")` on the module."""
    with translation.override("en"):
        yield


@pytest.fixture
def english_pages(client):
    """The test client's pages in English (the language a user chooses, in its cookie), so
    that assertions on labels survive the Italian translation."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Candidates' documents go to a folder of each test's own.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    # Background work runs at once, inside the test's transaction (when it commits).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def programme_office(db):
    return OrganisationFactory(
        name="Confindustria Bergamo", code="confindustria", kind=Organisation.Kind.PROGRAMME
    )


@pytest.fixture
def agency(db):
    return OrganisationFactory(name="Gi Group", code="gi-group", kind=Organisation.Kind.AGENCY)


@pytest.fixture
def centre(db):
    return OrganisationFactory(name="Diakonia Bergamo", code="diakonia", kind="centre")


@pytest.fixture
def other_centre(db):
    return OrganisationFactory(name="Caritas Treviglio", code="caritas-treviglio", kind="centre")


@pytest.fixture
def company(db):
    return CompanyFactory(organisation__name="Meccanica Orobica S.p.A.")


@pytest.fixture
def other_company(db):
    return CompanyFactory(organisation__name="Plastiche Serio S.r.l.")


@pytest.fixture
def admin(programme_office):
    return UserFactory(username="admin", role=User.Role.ADMIN, organisation=programme_office)


@pytest.fixture
def staff(programme_office):
    return UserFactory(username="staff", role=User.Role.STAFF, organisation=programme_office)


@pytest.fixture
def recruiter(agency):
    return UserFactory(username="recruiter", role=User.Role.RECRUITER, organisation=agency)


@pytest.fixture
def caseworker(centre):
    return UserFactory(username="caseworker", role=User.Role.CASEWORKER, organisation=centre)


@pytest.fixture
def other_caseworker(other_centre):
    return UserFactory(username="caseworker2", role=User.Role.CASEWORKER, organisation=other_centre)


@pytest.fixture
def company_hr(company):
    return UserFactory(username="hr", role=User.Role.COMPANY_HR, organisation=company.organisation)


@pytest.fixture
def other_company_hr(other_company):
    return UserFactory(
        username="hr2", role=User.Role.COMPANY_HR, organisation=other_company.organisation
    )


@pytest.fixture
def personas(admin, staff, recruiter, caseworker, company_hr, other_caseworker, other_company_hr):
    """Every persona by role name (the five roles, then the two of other organisations)."""
    return {
        "admin": admin,
        "staff": staff,
        "recruiter": recruiter,
        "caseworker": caseworker,
        "company_hr": company_hr,
        "other_caseworker": other_caseworker,
        "other_company_hr": other_company_hr,
    }


@pytest.fixture
def login(client):
    """`login(user)` returns the test client logged in as `user` (past the second factor, when
    the user must give one: `accounts.testing.logged_in`); `login(user, client=other)` logs in
    another client."""

    def _login(user, client=client):
        return logged_in(client, user)

    return _login


@pytest.fixture
def candidate(centre, caseworker):
    return CandidateFactory(centre=centre, caseworker=caseworker)


@pytest.fixture
def other_candidate(other_centre, other_caseworker):
    return CandidateFactory(centre=other_centre, caseworker=other_caseworker)
