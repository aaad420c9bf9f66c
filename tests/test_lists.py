"""The one mechanism every list pages, sorts and searches with (focus.lists), and the pages
it draws: numbered pages, sortable headers, the count of rows in Italian."""

import pytest
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from catalog.models import JobProfile
from focus.lists import InLanguage, Sorting, in_order, list_page, search, search_text
from tests.factories import OrganisationFactory

SORTING = Sorting(
    columns={
        "name": ("name",),
        "code": ("-code",),
        "kind": (in_order("kind", ["programme", "agency", "centre", "company"]), "name"),
        "active": (F("is_active").asc(),),
    },
    default="name",
    descending_first=frozenset({"active"}),
)


def _page(query: dict, queryset=None, per_page: int = 3, **options):
    request = RequestFactory().get("/", query)
    queryset = queryset if queryset is not None else Organisation.objects.all()
    return list_page(request, queryset, per_page=per_page, sorting=SORTING, **options)


def _names(listing) -> list[str]:
    return [organisation.name for organisation in listing.page]


@pytest.fixture
def organisations(db):
    return [
        OrganisationFactory(name=name, code=code, kind=kind, is_active=active)
        for name, code, kind, active in [
            ("Bravo", "b", "centre", True),
            ("Alfa", "c", "agency", False),
            ("Delta", "a", "programme", True),
            ("Charlie", "d", "centre", True),
        ]
    ]


def test_a_list_opens_on_its_default_sort_and_pages_by_number(organisations):
    listing = _page({})
    assert (listing.sort, listing.sort_asked) == ("name", "")
    assert _names(listing) == ["Alfa", "Bravo", "Charlie"]
    assert _names(_page({"page": "2"})) == ["Delta"]


def test_a_column_sorts_both_ways_and_its_header_says_which(organisations):
    listing = _page({"sort": "-name"}, per_page=10)
    assert _names(listing) == ["Delta", "Charlie", "Bravo", "Alfa"]
    assert listing.headers["name"].aria_sort == "descending"
    assert listing.headers["name"].next == "name"  # the link reverses it again
    assert listing.headers["code"].aria_sort == "none"
    # a column declared descending is reversed too: "-code" ascending is z..a, so "-" is a..z
    assert _names(_page({"sort": "-code"}, per_page=10)) == ["Delta", "Bravo", "Alfa", "Charlie"]


def test_dates_and_counts_sort_descending_at_the_first_click(organisations):
    listing = _page({"sort": "code"})
    assert listing.headers["active"].next == "-active"
    assert listing.headers["name"].next == "name"


def test_choices_sort_in_the_portals_order_not_by_their_codes(organisations):
    listing = _page({"sort": "kind"}, per_page=10)
    assert _names(listing) == ["Delta", "Alfa", "Bravo", "Charlie"]


@pytest.mark.parametrize("sort", ["password", "-password", "name__foo", "--name", "pk", ""])
def test_an_unknown_sort_is_ignored_and_never_reaches_the_database(organisations, sort):
    listing = _page({"sort": sort})
    assert (listing.sort, listing.sort_asked) == ("name", "")
    assert _names(listing) == ["Alfa", "Bravo", "Charlie"]


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", "first"), ("", "first"), ("0", "last"), ("99", "last")]
)
def test_a_page_out_of_range_shows_the_first_or_the_last(organisations, page, shown):
    expected = {"first": ["Alfa", "Bravo", "Charlie"], "last": ["Delta"]}[shown]
    assert _names(_page({"page": page})) == expected


def test_equal_values_keep_one_order_from_page_to_page(db):
    for n, kind in enumerate(["centre", "agency", "programme", "centre", "agency", "programme"]):
        OrganisationFactory(name=f"Uguale {n // 3}", code=f"same-{n}", kind=kind)
    seen = [o.pk for page in ("1", "2") for o in _page({"page": page, "sort": "active"}).page]
    assert seen == sorted(seen)  # pk breaks the ties: no row twice, none missing
    assert len(seen) == 6


def test_the_window_of_page_numbers_follows_the_current_page(db):
    for n in range(30):
        OrganisationFactory(name=f"Org {n:02d}", code=f"w-{n}")
    listing = _page({"page": "6"}, per_page=2)
    ellipsis = listing.page.paginator.ELLIPSIS
    assert listing.page_range == [ellipsis, 4, 5, 6, 7, 8, ellipsis]
    assert _page({"page": "1"}, per_page=2).page_range == [1, 2, 3, ellipsis]


def test_a_count_given_spares_the_paginator_its_query(organisations, django_assert_num_queries):
    with django_assert_num_queries(1):  # the page of rows only
        listing = _page({}, count=4)
        list(listing.page)
    assert listing.page.paginator.num_pages == 2


def test_a_list_without_columns_keeps_its_own_order(organisations):
    request = RequestFactory().get("/", {"sort": "name"})
    listing = list_page(request, Organisation.objects.order_by("-code"), per_page=10)
    assert (listing.sort, listing.headers) == ("", {})
    assert [o.code for o in listing.page] == ["d", "c", "b", "a"]


def test_the_default_must_be_one_of_the_columns():
    with pytest.raises(ValueError, match="not one of the columns"):
        Sorting(columns={"name": ("name",)}, default="-code")


def test_every_word_searched_must_be_found_in_one_of_the_fields(organisations):
    found = search(Organisation.objects.all(), "  alf  C ", ("name", "code"))
    assert [o.name for o in found] == ["Alfa"]
    assert search(Organisation.objects.all(), "", ("name",)).count() == 4


def test_what_is_searched_is_trimmed_and_bounded():
    request = RequestFactory().get("/", {"q": "  Rossi " + "x" * 300})
    assert search_text(request) == ("Rossi " + "x" * 300)[:100]


def test_a_name_kept_in_two_languages_sorts_in_the_users(db):
    sorting = Sorting(columns={"name": (InLanguage("name"),)}, default="name")
    profiles = JobProfile.objects.filter(code__in=["addetto-magazzino", "carrellista"])
    request = RequestFactory().get("/", {"sort": "name"})

    def codes() -> list[str]:
        return [p.code for p in list_page(request, profiles, per_page=5, sorting=sorting).page]

    with translation.override("it"):
        assert codes() == ["addetto-magazzino", "carrellista"]  # Addetto..., Carrellista
    with translation.override("en"):
        assert codes() == ["carrellista", "addetto-magazzino"]  # Forklift..., Warehouse...


@pytest.mark.django_db
def test_the_pages_are_numbered_and_the_rows_counted_in_italian(login, admin):
    Organisation.objects.bulk_create(
        Organisation(name=f"Centro {n:04d}", code=f"c-{n}", kind="centre") for n in range(1240)
    )
    client = login(admin)
    html = client.get(reverse("accounts:organisation_list"), {"page": "3"}).content.decode()
    assert "1.241 organizzazioni" in html  # the programme office and the 1,240 centres
    assert 'aria-current="page"><span class="visually-hidden">Pagina </span>3</a>' in html
    assert "Righe 51\N{EN DASH}75 di 1.241" in html
    assert 'href="?page=50"' in html  # the last page
    assert 'aria-label="Pagine"' in html
    assert 'aria-sort="ascending"' in html  # the list opens sorted by its kind


def test_the_reverse_of_a_sort_is_that_sort_read_backwards(db):
    for n in range(5):
        OrganisationFactory(name=f"Pari {n}", code=f"even-{n}", is_active=n % 2 == 0)
    ascending = [o.pk for o in _page({"sort": "active"}, per_page=10).page]
    descending = [o.pk for o in _page({"sort": "-active"}, per_page=10).page]
    assert descending == ascending[::-1]
