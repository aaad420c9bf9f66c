"""What every answer of the portal tells the browser: the Content-Security-Policy, that pages
and downloads with personal data are never stored, and how the language cookie travels."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse

from accounts.middleware import NoStoreMiddleware
from tests.factories import NeedFactory
from tests.test_settings import PRODUCTION, _manage

ROOT = Path(__file__).resolve().parent.parent
# The policy, directive by directive: the portal's own origin only, nothing inline.
STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def _policy(header: str) -> dict[str, set[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _opened(login, pages, name: str):
    """The page `name` of the `pages` fixture, as its user opens it."""
    user, url = pages[name]
    response = login(user).get(url)
    assert response.status_code == 200
    return response


def _cookie_flags(set_cookie: str) -> set[str]:
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


@pytest.fixture
def pages(personas, candidate, company):
    """(user, address) of pages that show personal data, one per kind of page."""
    need = NeedFactory(company=company)
    return {
        "home": (personas["staff"], reverse("reports:home")),
        "candidate list": (personas["caseworker"], reverse("candidates:list")),
        "candidate": (personas["caseworker"], reverse("candidates:detail", args=[candidate.pk])),
        "ranking": (personas["staff"], reverse("matching:need_rank", args=[need.pk])),
        "admin index": (personas["admin"], reverse("admin:index")),
        "admin change form": (
            personas["admin"],
            reverse("admin:candidates_candidate_change", args=[candidate.pk]),
        ),
    }


PAGE_NAMES = ["home", "candidate list", "candidate", "ranking", "admin index", "admin change form"]


@pytest.mark.django_db
def test_the_login_page_carries_the_strict_policy_without_unsafe_inline(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert _policy(header) == STRICT
    assert "unsafe-inline" not in header
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_pages_behind_the_login_and_the_admin_carry_the_same_strict_policy(login, pages, name):
    response = _opened(login, pages, name)
    assert _policy(response["Content-Security-Policy"]) == STRICT


def test_the_policy_can_be_switched_to_report_only_from_the_environment():
    script = (
        "from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); "
        "print('Content-Security-Policy' in r); "
        "print(r.get('Content-Security-Policy-Report-Only', ''))"
    )
    result = _manage(
        "shell", "-v", "0", "-c", script, CSP_REPORT_ONLY="1", DATABASE_URL="sqlite:///:memory:"
    )
    assert result.returncode == 0, result.stderr
    enforced, report_only = result.stdout.splitlines()
    assert enforced == "False"
    assert _policy(report_only) == STRICT


def test_no_template_has_an_inline_style_script_or_event_handler():
    """What the policy refuses, looked for where it would come from: the portal's templates."""
    refused = re.compile(r"\sstyle\s*=|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)
    # The project's templates and those of its apps (one level down: not the virtualenv's).
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    assert len(templates) > 50
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in templates
        for match in refused.finditer(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_the_login_page_is_never_stored(client):
    assert {"no-store", "private"} <= _cache_control(client.get(reverse("accounts:login")))


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_pages_with_personal_data_are_never_stored(login, pages, name):
    response = _opened(login, pages, name)
    assert {"no-store", "private"} <= _cache_control(response)


@pytest.mark.django_db
def test_the_programme_workbook_download_is_never_stored(
    login, staff, django_capture_on_commit_callbacks
):
    client = login(staff)
    with django_capture_on_commit_callbacks(execute=True):  # the worker writes it
        asked = client.post(reverse("reports:export"))
    page = client.get(asked["Location"])
    download = reverse("reports:export_download", args=[page.context["record"].pk])
    response = client.get(download)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert {"no-store", "private"} <= _cache_control(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["companies:import_template", "candidates:import_template"])
def test_the_import_templates_download_is_never_stored(login, staff, url_name):
    response = login(staff).get(reverse(url_name))
    assert "attachment" in response["Content-Disposition"]
    assert {"no-store", "private"} <= _cache_control(response)


def test_a_view_that_chose_its_own_caching_keeps_it(rf):
    chosen = HttpResponse()
    chosen["Cache-Control"] = "max-age=3600, public"
    response = NoStoreMiddleware(lambda request: chosen)(rf.get("/"))
    assert response["Cache-Control"] == "max-age=3600, public"


@pytest.mark.django_db
def test_static_files_keep_their_own_caching(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in tests: read static/ directly
    response = client.get(static("css/focus.css"))
    assert response.status_code == 200
    cache_control = _cache_control(response)
    assert "no-store" not in cache_control
    assert "public" in cache_control


@pytest.mark.django_db
def test_the_language_cookie_is_http_only_and_same_site_in_development(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    flags = _cookie_flags(response.cookies["django_language"].OutputString())
    assert {"httponly", "samesite=lax"} <= flags
    assert "secure" not in flags  # development is plain HTTP


@pytest.mark.parametrize(
    ("environment", "secure"),
    [
        pytest.param(PRODUCTION, True, id="production over HTTPS"),
        pytest.param(
            {**PRODUCTION, "ALLOWED_HOSTS": "localhost", "LOCAL_HTTP": "1"},
            False,
            id="local demo over HTTP",
        ),
    ],
)
def test_the_language_cookie_is_secure_exactly_when_the_session_cookie_is(environment, secure):
    host = environment["ALLOWED_HOSTS"]
    script = (
        "from django.conf import settings; from django.test import Client; "
        f"r = Client(HTTP_HOST={host!r}).post("
        "'/i18n/setlang/', {'language': 'en', 'next': '/'}, secure=True); "
        "print(settings.SESSION_COOKIE_SECURE); "
        "print(r.cookies[settings.LANGUAGE_COOKIE_NAME].OutputString())"
    )
    result = _manage("shell", "-v", "0", "-c", script, **environment)
    assert result.returncode == 0, result.stderr
    session_secure, language_cookie = result.stdout.splitlines()[-2:]
    assert session_secure == str(secure)
    flags = _cookie_flags(language_cookie)
    assert {"httponly", "samesite=lax"} <= flags
    assert ("secure" in flags) is secure
