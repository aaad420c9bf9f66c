"""Every main page, for every role, on the demo's world: the pages of the main menu and the
records they lead to (a candidate, a need and its ranking, a shortlist and the company's
cards, the shortlisted candidates, an interview to assess and the outcomes missing, a course,
the intake form), the notifications, a search's results and the accessibility statement; and
the public pages, logged out. Each opens, fits a laptop (1280 px) and a tablet (768 px) with
no sideways scroll, and axe-core (installed by npm) finds no critical or serious violation of
WCAG 2.1 AA."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.access import scope
from accounts.models import User
from candidates.models import Candidate
from companies.models import Need
from interviews.models import Interview
from matching.models import Shortlist
from training.models import Course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text()
WIDTHS = [(1280, 800), (768, 1024)]
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => `${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map(n => n.target.join(" "))}`);
}"""
# What sticks out to the right: the innermost element past the window's edge.
WIDEST = """() => {
  const edge = window.innerWidth + 1;
  const out = [...document.querySelectorAll("body *")].filter(
    e => e.getBoundingClientRect().right > edge);
  const leaf = out.find(e => ![...e.children].some(c => c.getBoundingClientRect().right > edge));
  return leaf ? `${leaf.tagName.toLowerCase()}.${leaf.className}` : "";
}"""


@pytest.fixture
def demo_world(db):
    call_command("seed_demo", password="demo-password-2026", force=True, verbosity=0)


def _first(queryset) -> int:
    record = queryset.order_by("pk").first()
    assert record is not None, f"the demo has no {queryset.model.__name__} for this check"
    return record.pk


def _records(user: User) -> list[str]:
    """The pages of records `user` works on, beside the menu's."""
    pages = []
    if user.role in {User.Role.ADMIN, User.Role.STAFF}:
        need = _first(scope(user, Need).filter(status=Need.Status.OPEN))
        shortlist = _first(scope(user, Shortlist).exclude(shared_at=None))
        pages += [
            reverse("companies:need_detail", args=[need]),
            reverse("matching:need_rank", args=[need]),
            reverse("matching:shortlist_detail", args=[shortlist]),
            reverse("matching:entry_list"),
            reverse("training:course_detail", args=[_first(scope(user, Course))]),
        ]
    if user.role in {User.Role.STAFF, User.Role.CASEWORKER}:
        pages += [
            reverse("candidates:create"),
            reverse("candidates:detail", args=[_first(scope(user, Candidate))]),
        ]
    if user.role == User.Role.RECRUITER:
        interview = _first(scope(user, Interview).filter(recruiter=user))
        pages += [
            reverse("interviews:interview_assess", args=[interview]),
            f"{reverse('interviews:agenda')}?when=missing",
        ]
    if user.role == User.Role.COMPANY_HR:
        shortlist = _first(scope(user, Shortlist).exclude(shared_at=None))
        pages += [
            reverse("matching:shortlist_cards", args=[shortlist]),
            reverse("matching:entry_list"),
            reverse("companies:mine"),
        ]
    return pages


def _menu(page) -> list[str]:
    return page.locator("[data-nav]").evaluate_all(
        "links => [...new Set(links.map(link => link.getAttribute('href')))]"
    )


def _problems(page, where: str) -> list[str]:
    found = []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        found.append(f"{where}: scrolls sideways by {overflow} px ({page.evaluate(WIDEST)})")
    page.evaluate(AXE)
    return found + [f"{where}: {violation}" for violation in page.evaluate(AXE_RUN)]


@pytest.mark.parametrize("username", ["admin", "staff", "recruiter", "caseworker", "hr"])
def test_every_main_page_opens_fits_a_laptop_and_a_tablet_and_passes_axe(
    page, log_in, demo_world, username
):
    user = User.objects.get(username=username)
    log_in(user)
    problems = []
    everyone = [
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        f"{reverse('search:results')}?q=ro",
        reverse("accessibility:statement"),
    ]
    for path in ["/", *_menu(page), *_records(user), *everyone]:
        problems += _walk(page, path, username)
    assert problems == []


def _walk(page, path: str, who: str) -> list[str]:
    """What is wrong with the page at `path` at each of WIDTHS."""
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(path)
        where = f"{who} {path} at {width} px"
        if response.status != 200:
            problems.append(f"{where}: answered {response.status}")
            continue
        problems += _problems(page, where)
    return problems


def test_the_public_pages_fit_a_laptop_and_a_tablet_and_pass_axe(page):
    """What anyone reaches without logging in: the login page, the privacy pages and the
    accessibility statement."""
    problems = []
    for name in ("accounts:login", "privacy:notice", "privacy:rights", "accessibility:statement"):
        problems += _walk(page, reverse(name), "anonymous")
    assert problems == []
