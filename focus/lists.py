"""The portal's lists: one way to sort a list by its columns, search it and page through it.

A view hands its selector's queryset (searched and filtered there, with `search`) to
`list_page` with the list's `Sorting`, and renders the `ListPage` it returns: the rows of the
page asked for, in the order asked for, with what `includes/sort_header.html` and
`includes/pagination.html` need. Only the sort keys a list declares reach `order_by`; any
other `?sort=` is ignored, as an unknown or missing `?page=` gives the first page (a page past
the end, the last one).

Searches compare text in lower case without accents (`focus.text.unaccented`) in the database
too, through the functions `focus_fold` and `focus_digits` that the search app provides: on
PostgreSQL immutable functions over unaccent, with trigram indexes on the columns of the large
tables (its migrations), on SQLite `unaccented` itself.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    Case,
    Expression,
    F,
    FloatField,
    Func,
    Lookup,
    OrderBy,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.db.models.lookups import Contains, GreaterThanOrEqual
from django.http import HttpRequest
from django.utils.translation import get_language

from focus.text import unaccented


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
# Words shorter than this are found only as typed: one slip in three letters is another word.
TYPO_MIN_CHARS = 4
# How close (strict trigram word similarity, 0 to 1) a word must be to one of the text's to
# be taken for it misspelt: "bremblla" is 0.58 of "brembilla", "federioc" 0.5 of "federico",
# but "marco" 0.33 of "mario", another name. Not below pg_trgm's own threshold (0.5), which
# the indexes answer.
TYPO_SIMILARITY = 0.5
# A number longer than this is no record's number (and would not fit the column).
NUMBER_MAX_DIGITS = 9
# Fewer digits than this tell no phone number apart: they are looked for as a number only.
PHONE_MIN_DIGITS = 3
# A number as people write a phone number: digits in groups, with a prefix, dots or dashes.
_NUMBER_WRITTEN = re.compile(r"\s*\+?[0-9][0-9\s()./-]*")
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


class Folded(Func):
    """Text in lower case and without accents, in the database ("Müller-Rossi" ->
    "muller-rossi", as `focus.text.unaccented` writes it): where the words of a search are
    looked for, and what the trigram indexes are built on."""

    function = "focus_fold"
    output_field = TextField()


class Digits(Func):
    """The digits of a text alone ("+39 035 12.34" -> "390351234"): a phone number however
    it was written."""

    function = "focus_digits"
    output_field = TextField()


class WordSimilar(Lookup):
    """The word is close to a word of the text (PostgreSQL's pg_trgm `%>>`: their strict word
    similarity at least `pg_trgm.strict_word_similarity_threshold`, 0.5): the cut that the
    trigram indexes answer, of which `search` keeps the words close enough (TYPO_SIMILARITY)."""

    lookup_name = "word_similar"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %%>> {rhs}", [*lhs_params, *rhs_params]


class StrictWordSimilarity(Func):
    """How close `word` is to the closest whole words of the text, from 0 to 1."""

    function = "strict_word_similarity"
    output_field = FloatField()


class WordSimilarity(Func):
    """How close `word` is to the closest word of the text, from 0 to 1 (1: found as it is)."""

    function = "word_similarity"
    output_field = FloatField()


def _tolerates_typos(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search(
    queryset: QuerySet,
    text: str,
    fields: Sequence[str],
    *,
    digits: Sequence[str] = (),
    numbers: Sequence[str] = (),
) -> QuerySet:
    """The rows of `queryset` where every word of `text` is found in one of `fields`,
    compared in lower case without accents (`focus.text.unaccented`): "muller" finds
    "Müller", "anna.muller@" an e-mail address. On PostgreSQL a word of TYPO_MIN_CHARS
    letters or more, and letters only (a name, not a code nor an address), also finds a word
    spelt nearly so (TYPO_SIMILARITY: "Bremblla" finds "Brembilla"). A word of digits is also
    looked for among the digits of `digits` (phone numbers, however spaced), and compared
    whole with `numbers` (a record's number). Selectors search through here, so that every
    list searches alike.

    The fields of a related record are searched in a subquery of its table (`candidate__in`
    the candidates found), which that table's trigram indexes answer, rather than row by row
    of the list (`_found`)."""
    typos = _tolerates_typos(queryset)
    for word in _words(text):
        conditions = [Q(**{name: int(word)}) for name in numbers if _number(word)]
        conditions += _found(queryset.model, word, fields, digits, typos=typos)
        queryset = queryset.filter(reduce(or_, conditions, Q(pk__in=[])))
    return queryset


def _found(model, word: str, fields: Sequence[str], digits: Sequence[str], *, typos: bool):
    """The conditions on `model`'s own columns under which `word` is in one of `fields` (or
    of `digits`): those of a related record as its foreign key in a subquery of its table,
    so that the database applies each to its table (with its indexes) before any join."""
    own: tuple[list[str], list[str]] = ([], [])
    related: dict[str, tuple[list[str], list[str]]] = {}
    for kind, names in enumerate((fields, digits)):
        for name in names:
            hop, sep, rest = name.partition("__")
            if sep:
                related.setdefault(hop, ([], []))[kind].append(rest)
            else:
                own[kind].append(name)
    texts, numbers = own
    found = [Q(Contains(Folded(name), word)) for name in texts]
    if typos and len(word) >= TYPO_MIN_CHARS and word.isalpha():
        found += [_misspelt(word, name) for name in texts]
    if word.isdigit() and len(word) >= PHONE_MIN_DIGITS:
        found += [Q(Contains(Digits(name), word)) for name in numbers]
    if found and related:
        # Beside the related records' subqueries, the record's own columns in one too: each
        # then answered by its indexes, and the rows of the list only looked up in them.
        found = [Q(pk__in=model._base_manager.filter(reduce(or_, found)).values("pk"))]
    for hop, (their_texts, their_numbers) in related.items():
        target = model._meta.get_field(hop).related_model
        inner = _found(target, word, their_texts, their_numbers, typos=typos)
        if inner:
            rows = target._base_manager.filter(reduce(or_, inner)).values("pk")
            found.append(Q(**{f"{hop}__in": rows}))
    return found


def _words(text: str) -> list[str]:
    """The words of `text` as searched: in lower case without accents (`unaccented`), and a
    number written in groups ("+39 035 12 34 567", "035/123.45") as one word of its digits."""
    if _NUMBER_WRITTEN.fullmatch(text) and len(digits := re.sub(r"[^0-9]", "", text)) > 1:
        return [digits]
    return unaccented(text).split()


def _misspelt(word: str, name: str) -> Q:
    folded = Folded(name)
    close = GreaterThanOrEqual(StrictWordSimilarity(Value(word), folded), TYPO_SIMILARITY)
    return Q(WordSimilar(folded, word)) & Q(close)


def _number(word: str) -> bool:
    return word.isdigit() and len(word) <= NUMBER_MAX_DIGITS


def search_rank(
    queryset: QuerySet, text: str, fields: Sequence[str], *, numbers: Sequence[str] = ()
) -> Expression:
    """How closely each row that `search` found in `queryset` matches `text`, to order them
    best first: the record whose number was typed (`numbers`) before the others, then, on
    PostgreSQL, by the sum over the words of their similarity to the closest of `fields` (1
    for a word found as typed). Elsewhere the rows `fields` found tie, and keep the order of
    the keys after it."""
    words = _words(text)
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        if _tolerates_typos(queryset) and fields:
            each = [WordSimilarity(Value(word), Folded(name)) for name in fields]
            rank += Greatest(*each) if len(each) > 1 else each[0]
        if _number(word):
            for name in numbers:
                rank += Case(
                    When(**{name: int(word)}, then=Value(len(words) + 1.0)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
    return rank


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
