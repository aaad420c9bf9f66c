"""The portal's lists: one way to sort a list by its columns, search it and page through it.

A view hands its selector's queryset (searched and filtered there, with `search`) to
`list_page` with the list's `Sorting`, and renders the `ListPage` it returns: the rows of the
page asked for, in the order asked for, with what `includes/sort_header.html` and
`includes/pagination.html` need. Only the sort keys a list declares reach `order_by`; any
other `?sort=` is ignored, as an unknown or missing `?page=` gives the first page (a page past
the end, the last one).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, OrderBy, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import get_language


@dataclass(frozen=True)
class InLanguage:
    """The ordering of a name kept in each language (`<path>_it`, `<path>_en`, as the
    catalogue's): by the one the user reads."""

    path: str

    def resolve(self) -> str:
        suffix = "en" if (get_language() or "it").startswith("en") else "it"
        return f"{self.path}_{suffix}"


# An ordering expression as order_by takes it: a field path ("-" for descending), or an
# expression such as F("due_on").asc(nulls_last=True).
Ordering = str | OrderBy | F | Case | InLanguage

SEARCH_MAX_CHARS = 100
# Page numbers shown on each side of the current one; first and last have links of their own.
PAGES_EACH_SIDE = 2


def in_order(field_name: str, values: Sequence[str]) -> Case:
    """An ordering of `field_name` in the order of `values` (a TextChoices' `values`): the
    order the portal lists the choices in, rather than the alphabet of their codes."""
    return Case(
        *(When(**{field_name: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
    )


def _flip(expression: Ordering) -> Ordering:
    if isinstance(expression, InLanguage):
        expression = expression.resolve()
    if isinstance(expression, str):
        return expression[1:] if expression.startswith("-") else f"-{expression}"
    if isinstance(expression, OrderBy):
        return expression.copy().reverse_ordering()
    return expression.desc()


@dataclass(frozen=True)
class Sorting:
    """The columns a list may be sorted by. `columns` maps each key (what `?sort=` names,
    `-key` for the reverse) to the ordering of ascending order; `default` is the key the list
    opens with (`-key` for descending); the keys in `descending_first` sort descending at the
    first click (dates and counts: the latest or the largest first). The primary key ends
    every ordering, in the same direction, so that equal values keep one order (the reverse
    of a sort is that sort read backwards) and no row repeats or goes missing from one page
    to the next."""

    columns: Mapping[str, Sequence[Ordering]]
    default: str
    descending_first: frozenset[str] = frozenset()

    def __post_init__(self):
        if self.default.removeprefix("-") not in self.columns:
            raise ValueError(f"The default sort {self.default!r} is not one of the columns")

    def chosen(self, raw: str) -> str:
        """The sort asked for, if it names a column (`key` or `-key`), else ""."""
        return raw if raw.removeprefix("-") in self.columns else ""

    def ordering(self, sort: str) -> list[Ordering]:
        expressions = list(self.columns[sort.removeprefix("-")])
        if sort.startswith("-"):
            expressions = [_flip(expression) for expression in expressions]
        resolved = [e.resolve() if isinstance(e, InLanguage) else e for e in expressions]
        return [*resolved, "-pk" if sort.startswith("-") else "pk"]


@dataclass(frozen=True)
class Header:
    """One sortable column's header: `aria_sort` as the table announces it, and `next`, the
    `?sort=` its link asks for (the reverse when the list is sorted by it)."""

    aria_sort: str
    next: str


@dataclass(frozen=True)
class Column:
    """A column of a list whose columns are declared in Python (a list drawn by one template
    for several kinds of rows): its title, and the key of the list's Sorting it sorts by, ""
    when it does not sort."""

    label: str
    sort: str = ""


@dataclass(frozen=True)
class ListPage:
    """What a list's template renders: the `page` of rows, the `sort` applied (`key` or
    `-key`, "" for a list with no columns to sort), `sort_asked` (the valid `?sort=` the
    request gave, which the list's forms keep), the `headers` of its sortable columns by
    key, and `query`, the search typed."""

    page: Page
    sort: str = ""
    sort_asked: str = ""
    query: str = ""
    headers: Mapping[str, Header] = field(default_factory=dict)

    def header_cells(self, columns: Sequence[Column]) -> list[tuple[str, Header | None]]:
        """Each column's title with its header (None for a column that does not sort), for
        `includes/sort_header.html`."""
        return [(column.label, self.headers.get(column.sort)) for column in columns]

    @property
    def page_range(self) -> list:
        """The page numbers around the current one, with Paginator.ELLIPSIS where some are
        left out: the first and last pages have links of their own."""
        return list(
            self.page.paginator.get_elided_page_range(
                self.page.number, on_each_side=PAGES_EACH_SIDE, on_ends=0
            )
        )


def _headers(sorting: Sorting, sort: str) -> dict[str, Header]:
    headers = {}
    for key in sorting.columns:
        if sort == key:
            headers[key] = Header("ascending", f"-{key}")
        elif sort == f"-{key}":
            headers[key] = Header("descending", key)
        else:
            first = f"-{key}" if key in sorting.descending_first else key
            headers[key] = Header("none", first)
    return headers


def search_text(request: HttpRequest) -> str:
    """What was typed in a list's search box (`?q=`), trimmed and bounded."""
    return request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]


def search(queryset: QuerySet, text: str, fields: Sequence[str]) -> QuerySet:
    """The rows of `queryset` where every word of `text` is found in one of `fields`
    (case-insensitive). Selectors search through here, so that a faster search can take its
    place for every list at once."""
    for word in text.split():
        queryset = queryset.filter(
            reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields))
        )
    return queryset


def list_page(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    per_page: int,
    sorting: Sorting | None = None,
    count: int | None = None,
    query: str = "",
) -> ListPage:
    """The page of `queryset` that `request` asks for (`?page=`), sorted as it asks
    (`?sort=`, one of `sorting`'s keys, else its default). Without `sorting` the queryset
    keeps its own order (it must have one). `count`, when the view has counted the rows
    already (with other figures, in one query), spares the paginator its count."""
    sort = asked = ""
    if sorting is not None:
        asked = sorting.chosen(request.GET.get("sort", ""))
        sort = asked or sorting.default
        queryset = queryset.order_by(*sorting.ordering(sort))
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return ListPage(
        page=paginator.get_page(request.GET.get("page")),
        sort=sort,
        sort_asked=asked,
        query=query,
        headers=_headers(sorting, sort) if sorting is not None else {},
    )
