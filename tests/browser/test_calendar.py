import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.browser.menu import open_entry
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_arrange_a_company_interview_and_hr_find_it_in_their_calendar(
    page, log_in, staff, company_hr, centre
):
    candidate = CandidateFactory(centre=centre, last_name="Brembilla", consent_share_profile=True)
    entry = shortlist_add(
        need=NeedFactory(company=company_hr.organisation.company), candidate=candidate, actor=staff
    )
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="http://testserver")
    entry_move(entry=entry, to=Entry.Status.INTERVIEW_REQUESTED, actor=company_hr)
    day = timezone.localdate() + datetime.timedelta(days=2)

    log_in(staff)
    page.goto(entry.shortlist.get_absolute_url())
    page.get_by_test_id("arrange-interview").click()
    form = page.get_by_test_id("company-interview-form")
    expect(form).to_be_visible()
    form.get_by_label("Giorno").fill(day.isoformat())
    form.get_by_role("textbox", name="Ora").fill("10:30")  # not a person named "Mora..."
    form.get_by_label("Durata (minuti)").fill("45")
    form.get_by_label("Luogo o link").fill("Via Zanica 12, Bergamo")
    form.get_by_label(str(company_hr)).check()
    form.get_by_role("button", name="Fissa").click()
    expect(page.locator(".alert-success")).to_contain_text("Colloquio fissato")
    expect(page.get_by_test_id("company-interview")).to_contain_text("10:30\N{EN DASH}11:15")
    page.context.clear_cookies()

    log_in(company_hr)
    open_entry(page, "appointments:calendar")
    page.goto(f"/calendar/?view=week&date={day.isoformat()}")
    grid = page.get_by_test_id("calendar-grid")
    event = grid.locator(f"[data-date='{day.isoformat()}'] [data-testid='appointment']")
    expect(event).to_contain_text(entry.code)
    expect(page.locator("main")).not_to_contain_text("Brembilla")
    event.click()
    expect(page).to_have_url(re.compile(r"/calendar/company/\d+/$"))
    with page.expect_download() as download_info:
        page.get_by_test_id("invitation").click()
    download = download_info.value
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    [invitation] = calendar.walk("VEVENT")
    starts = invitation.decoded("dtstart")
    assert (starts.date(), starts.strftime("%H:%M")) == (day, "10:30")
    assert entry.code in str(invitation["summary"])
    assert str(invitation["attendee"]) == f"mailto:{company_hr.email}"
