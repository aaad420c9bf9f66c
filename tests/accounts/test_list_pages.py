"""The administrator's lists, users and organisations, as they page, sort and search (the
query pins at two sizes are beside the other tests of these pages, in test_users.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory

ORGANISATIONS = reverse("accounts:organisation_list")
USERS = reverse("accounts:user_list")


def _names(response) -> list[str]:
    return [row.name for row in response.context["page"]]


@pytest.fixture
def three_centres(db):
    for name in ["Caritas Dalmine", "Banco di Solidarietà", "Associazione Aiuto"]:
        OrganisationFactory(name=name)


@pytest.mark.django_db
def test_organisations_sort_by_name_either_way_and_an_unknown_sort_is_ignored(
    login, admin, three_centres
):
    client = login(admin)
    by_name = ["Associazione Aiuto", "Banco di Solidarietà", "Caritas Dalmine"]
    by_name.append("Confindustria Bergamo")
    assert _names(client.get(ORGANISATIONS, {"sort": "name"})) == by_name
    assert _names(client.get(ORGANISATIONS, {"sort": "-name"})) == by_name[::-1]
    # the list opens by kind, the programme office first; an unknown sort leaves it so
    default = _names(client.get(ORGANISATIONS))
    assert default == ["Confindustria Bergamo", *by_name[:3]]
    assert _names(client.get(ORGANISATIONS, {"sort": "password"})) == default


@pytest.mark.django_db
def test_the_header_says_how_the_organisations_are_sorted_and_its_link_reverses_it(
    login, admin, three_centres
):
    html = login(admin).get(ORGANISATIONS, {"sort": "name", "q": "a"}).text
    assert '<th scope="col" aria-sort="ascending">' in html
    assert 'href="?sort=-name&amp;q=a"' in html  # the search is kept, the page is not
    assert html.count('aria-sort="none"') == 4  # code, kind, active users, status


@pytest.mark.django_db
def test_organisations_page_by_number(login, admin):
    Organisation.objects.bulk_create(
        Organisation(name=f"Centro {n:02d}", code=f"centro-{n}", kind="centre") for n in range(30)
    )
    client = login(admin)
    second = client.get(ORGANISATIONS, {"sort": "name", "page": "2"})
    assert _names(second) == [f"Centro {n:02d}" for n in range(25, 30)] + ["Confindustria Bergamo"]
    assert 'aria-current="page"' in second.text


@pytest.mark.django_db
def test_the_organisation_search_narrows_the_list_to_the_name_or_code(login, admin, three_centres):
    client = login(admin)
    assert _names(client.get(ORGANISATIONS, {"q": "caritas"})) == ["Caritas Dalmine"]
    assert _names(client.get(ORGANISATIONS, {"q": "confindustria"})) == ["Confindustria Bergamo"]
    assert "Nessuna organizzazione corrisponde" in client.get(ORGANISATIONS, {"q": "zzz"}).text


@pytest.mark.django_db
def test_only_the_administrator_lists_organisations(login, staff):
    assert login(staff).get(ORGANISATIONS).status_code == 403


@pytest.mark.django_db
def test_users_sort_by_last_login_the_latest_first_and_never_last(login, admin):
    now = timezone.now()
    for username, days in [("marta", 3), ("luca", None), ("anna", 1)]:
        UserFactory(
            username=username, last_login=now - datetime.timedelta(days=days) if days else None
        )
    client = login(admin)  # logs the administrator in: the latest login of all
    shown = [u.username for u in client.get(USERS, {"sort": "-login"}).context["page"]]
    assert shown == ["admin", "anna", "marta", "luca"]
    shown = [u.username for u in client.get(USERS, {"sort": "login"}).context["page"]]
    assert shown == ["luca", "marta", "anna", "admin"]


@pytest.mark.django_db
def test_users_sort_by_role_in_the_portals_order(login, admin, personas):
    page = login(admin).get(USERS, {"sort": "role"}).context["page"]
    roles = [user.role for user in page]
    order = list(User.Role.values)
    assert roles == sorted(roles, key=order.index)
    assert roles[0] == User.Role.ADMIN


@pytest.mark.django_db
def test_users_page_by_number_and_the_filters_keep_the_sort(login, admin):
    for n in range(26):
        UserFactory(username=f"persona{n:02d}", last_name=f"Cognome {n:02d}", first_name="A")
    client = login(admin)
    second = client.get(USERS, {"sort": "username", "page": "2"})
    assert [u.username for u in second.context["page"]] == ["persona24", "persona25"]
    assert '<input type="hidden" name="sort" value="username">' in second.text
