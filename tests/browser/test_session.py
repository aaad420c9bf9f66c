"""A session that expires loses nothing typed; a page with a form warns before it expires."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from accounts.middleware import SESSION_SEEN
from candidates.models import Candidate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session(page) -> SessionStore:
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return SessionStore(session_key=cookie["value"])


def test_what_was_typed_comes_back_after_the_session_expired_and_a_new_login(
    page, log_in, caseworker
):
    log_in(caseworker)
    page.goto("/candidates/new/")
    form = page.get_by_test_id("candidate-form")
    form.locator("[name=first_name]").fill("Fatima")
    form.locator("[name=last_name]").fill("Benali")
    form.locator("[name=address]").fill("Via Borgo Palazzo 40")
    form.locator("[name=consent_programme]").check()

    session = _session(page)
    session[SESSION_SEEN] = time.time() - 45 * 60  # away from the desk for three quarters
    session.save()
    page.locator("button[name=action][value=register]").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/candidates/new/$"))
    expect(page.get_by_text("La sessione è scaduta dopo 30 minuti di inattività")).to_be_visible()
    page.locator("[name=username]").fill("caseworker")
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()

    expect(page).to_have_url(re.compile(r"/candidates/new/$"))
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    form = page.get_by_test_id("candidate-form")
    expect(form.locator("[name=first_name]")).to_have_value("Fatima")
    expect(form.locator("[name=address]")).to_have_value("Via Borgo Palazzo 40")
    expect(form.locator("[name=consent_programme]")).to_be_checked()
    assert not Candidate.objects.exists()  # the late POST saved nothing

    # Logging out forgets the draft: the next person at this computer finds an empty form.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Esci").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    log_in(caseworker)
    page.goto("/candidates/new/")
    expect(page.get_by_test_id("candidate-form").locator("[name=first_name]")).to_have_value("")
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)


def test_a_form_warns_before_the_idle_timeout_and_stay_logged_in_keeps_the_session(
    page, log_in, caseworker
):
    page.clock.install()
    log_in(caseworker)
    page.goto("/candidates/new/")
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_hidden()
    before = _session(page)[SESSION_SEEN]

    page.clock.run_for("28:30")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("La sessione sta per scadere")
    warning.get_by_role("button", name="Resta connesso").click()
    expect(warning).to_be_hidden()
    assert _session(page)[SESSION_SEEN] > before
