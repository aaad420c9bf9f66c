"""Each user's notifications: the list (newest or unread first, a page at a time), opening one
marks it read, "mark all read", and the bell with the unread count in the menu, which costs
no query of its own."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.rights import candidate_erase
from notifications.models import Notification
from tests.notifications.helpers import told

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _notices(user, count: int, *, read: int = 0, candidate=None) -> list[Notification]:
    """`count` notifications for `user`, one a minute, the oldest `read` of them read."""
    start = timezone.now() - datetime.timedelta(hours=2)
    made = []
    for n in range(count):
        notice = Notification.objects.create(
            recipient=user,
            kind=Kind.HIRED,
            text=f"Notizia numero {n}",
            link=reverse("reports:home"),
            key=f"test:{n}",
            candidate=candidate,
        )
        at = start + datetime.timedelta(minutes=n)
        Notification.objects.filter(pk=notice.pk).update(
            created_at=at, read_at=at if n < read else None
        )
        made.append(notice)
    return made


def _bell(html: str) -> str:
    return re.search(r'<a[^>]*data-testid="notifications-bell"[^>]*>', html).group(0)


def test_the_bell_says_how_many_are_unread(login, caseworker):
    _notices(caseworker, 5, read=2)
    page = login(caseworker).get(reverse("reports:home")).text
    assert 'aria-label="Notifiche, 3 non lette"' in _bell(page)
    assert re.search(r'data-testid="unread-count">3<', page)


def test_the_bell_with_none_unread_says_so_and_shows_no_count(login, caseworker):
    _notices(caseworker, 2, read=2)
    page = login(caseworker).get(reverse("reports:home")).text
    assert 'aria-label="Notifiche, nessuna non letta"' in _bell(page)
    assert 'data-testid="unread-count"' not in page


@pytest.mark.parametrize("unread", [0, 40])
def test_the_bell_costs_no_query_however_many_are_unread(
    login, caseworker, unread, django_assert_num_queries
):
    _notices(caseworker, unread)
    client = login(caseworker)
    # session, user (with organisation and, in the same query, the unread count), and what
    # the account page reads of the second factor: the app, the backup codes left
    with django_assert_num_queries(4):
        page = client.get(reverse("accounts:account")).text
    assert ("unread-count" in page) == bool(unread)


@pytest.mark.parametrize("size", [3, 60])
def test_the_list_reads_a_fixed_number_of_queries(
    login, caseworker, size, django_assert_num_queries
):
    _notices(caseworker, size, read=1)
    client = login(caseworker)
    # session, user (with organisation and unread count), the paginator's count, the page
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:list"))
    assert response.text.count('data-testid="notification"') == min(size, 25)


def test_the_list_shows_the_newest_or_the_unread_first(login, caseworker):
    _notices(caseworker, 4, read=2)  # 0 and 1 read, 2 and 3 not
    client = login(caseworker)
    newest = client.get(reverse("notifications:list")).text
    assert re.findall(r"Notizia numero (\d)", newest) == ["3", "2", "1", "0"]
    unread = client.get(reverse("notifications:list"), {"order": "unread"}).text
    assert re.findall(r"Notizia numero (\d)", unread) == ["3", "2", "1", "0"]
    Notification.objects.filter(text="Notizia numero 3").update(read_at=timezone.now())
    unread = client.get(reverse("notifications:list"), {"order": "unread"}).text
    assert re.findall(r"Notizia numero (\d)", unread) == ["2", "3", "1", "0"]


def test_the_list_pages_through_many(login, caseworker):
    _notices(caseworker, 30)
    second = login(caseworker).get(reverse("notifications:list"), {"page": 2}).text
    assert second.count('data-testid="notification"') == 5
    assert "Notizia numero 0" in second


def test_opening_one_marks_it_read_and_goes_to_its_page(login, caseworker):
    notice, other = _notices(caseworker, 2)
    client = login(caseworker)
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 302
    assert response.url == reverse("reports:home")
    notice.refresh_from_db()
    first_read = notice.read_at
    assert first_read is not None
    client.get(notice.get_absolute_url())
    notice.refresh_from_db()
    assert notice.read_at == first_read  # the first time it was read stays
    other.refresh_from_db()
    assert other.read_at is None
    assert 'aria-label="Notifiche, 1 non letta"' in _bell(client.get("/").text)


def test_nobody_opens_anyone_elses(login, caseworker, other_caseworker, admin):
    (notice,) = _notices(caseworker, 1)
    for user in (other_caseworker, admin):
        assert login(user).get(notice.get_absolute_url()).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read_leaves_nothing_unread_and_others_untouched(
    login, caseworker, other_caseworker
):
    _notices(caseworker, 3)
    _notices(other_caseworker, 2)
    client = login(caseworker)
    page = client.post(reverse("notifications:mark_read"), follow=True).text
    assert "3 notifiche segnate come lette." in page
    assert Notification.objects.filter(recipient=caseworker, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other_caseworker, read_at__isnull=True).count()
    assert 'data-testid="mark-all-read"' not in page


def test_company_hr_read_codes_only(login, shared, company_hr):
    entry = shared(first_name="Zenobia", last_name="Quartararo")
    page = login(company_hr).get(reverse("notifications:list")).text
    assert 'data-testid="notification"' in page
    assert "Zenobia" not in page
    assert "Quartararo" not in page
    assert told(company_hr)[0].link == reverse(
        "matching:shortlist_cards", args=[entry.shortlist_id]
    )


def test_an_erased_candidates_notifications_no_longer_name_them(shared, staff, caseworker):
    entry = shared(last_name="Quartararo")
    candidate_erase(candidate=entry.candidate, actor=staff)
    (notice,) = told(caseworker)
    assert "Quartararo" not in notice.text
    assert notice.key == f"shortlisted:{entry.pk}"  # the event is still known: never told twice
