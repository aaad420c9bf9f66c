"""Screenshots of the portal as each role sees it, on the demo's world, at 1280 and 768 px:
each role's home page, and the company's cards, the ranking and the dashboard. Not a test of
`make test`: `make screenshots` runs it and writes the pictures to SCREENSHOTS_DIR
(default screenshots/), for a person to look at."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.access import scope
from accounts.models import User
from companies.models import Need
from matching.models import Shortlist
from tests.browser.test_every_page import WIDTHS, demo_world  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT = Path(os.environ.get("SCREENSHOTS_DIR", Path(settings.BASE_DIR) / "screenshots"))


def _pages(user: User) -> dict[str, str]:
    pages = {"home": reverse("reports:home")}
    if user.role == User.Role.ADMIN:
        pages["dashboard"] = reverse("reports:dashboard")
    if user.role == User.Role.STAFF:
        need = scope(user, Need).filter(status=Need.Status.OPEN).order_by("pk").first()
        pages["ranking"] = reverse("matching:need_rank", args=[need.pk])
    if user.role == User.Role.COMPANY_HR:
        shortlist = scope(user, Shortlist).exclude(shared_at=None).order_by("pk").first()
        pages["cards"] = reverse("matching:shortlist_cards", args=[shortlist.pk])
    return pages


@pytest.mark.parametrize("username", ["admin", "staff", "recruiter", "caseworker", "hr"])
def test_screenshots(page, log_in, demo_world, username):  # noqa: F811
    user = User.objects.get(username=username)
    log_in(user)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, path in _pages(user).items():
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            assert page.goto(path).status == 200
            page.wait_for_load_state("load")
            page.screenshot(path=OUT / f"{username}-{name}-{width}.png", full_page=True)
