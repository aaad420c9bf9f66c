"""The portal's search: one text looked for among every kind of record the user may list.

Each kind is found by its own list's selector, with the list's own search (`q`), so that a
group's count is exactly what its list shows when opened with the same text, and the scope
is the list's (`scope(user, Model)`): a caseworker finds their centre's candidates only, a
recruiter those of their interviews, company HR their company's needs and the codes of their
shortlists, never a candidate by name. A kind is searched only by those who may open its list.

A group holds at most PER_GROUP rows, best first (on PostgreSQL by trigram similarity, then
by name), and its count, read in the same query (a window over the rows found).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import User
from candidates.models import Candidate
from candidates.selectors import SEARCHED, candidate_list
from companies.models import Company, Need
from companies.selectors import NEED_SEARCHED, company_list, need_list
from focus.lists import search_rank
from matching.disclosure import entry_line
from matching.models import Shortlist
from matching.selectors import company_view, entry_list

PER_GROUP = 10


@dataclass(frozen=True)
class Hit:
    """One row found: what it is called, where it opens, and a few facts that tell it apart."""

    label: str
    url: str
    facts: Sequence[str] = ()


@dataclass(frozen=True)
class Group:
    """The rows of one kind found: the first PER_GROUP of `count`, and `url`, its list
    filtered by the same text."""

    key: str
    title: str
    looks_in: str
    count: int
    hits: list[Hit]
    url: str


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    model: type  # whose "list" the user must be allowed
    list_url: str
    # The list's selector with its search, for the user and the text.
    rows: Callable[[User, str], QuerySet]
    # The fields the rows are ranked by, best match first, and the orderings after it.
    ranked_by: Sequence[str]
    then: Sequence[str]
    hit: Callable[[object, User], Hit]
    looks_in: Callable[[User], str]
    numbered: bool = False  # a number typed is the record's number too


def _candidate_hit(candidate: Candidate, actor: User) -> Hit:
    facts = [candidate.codice_fiscale, str(candidate.centre), candidate.get_status_display()]
    return Hit(
        f"{candidate.last_name} {candidate.first_name}",
        candidate.get_absolute_url(),
        [fact for fact in facts if fact],
    )


def _company_hit(company: Company, actor: User) -> Hit:
    facts = [company.partita_iva, company.comune.name if company.comune else ""]
    return Hit(company.organisation.name, company.get_absolute_url(), [f for f in facts if f])


def _need_hit(need: Need, actor: User) -> Hit:
    return Hit(
        f"{need.profile} · {need.company.organisation.name}",
        need.get_absolute_url(),
        [need.workplace.name, str(need.campaign), need.get_status_display()],
    )


def _entry_hit(entry, actor: User) -> Hit:
    line = entry_line(entry, company_view=company_view(actor))
    label = f"{line.code} · {line.name}" if line.name else line.code
    facts = [line.profile, line.workplace, line.status_label]
    if not company_view(actor):
        facts.insert(1, line.company)
    return Hit(label, line.url, facts)


def _entries_look_in(actor: User) -> str:
    if company_view(actor):
        return str(_("by code"))
    return str(_("by code, candidate's name or company"))


KINDS = (
    Kind(
        key="candidates",
        title=_("Candidates"),
        model=Candidate,
        list_url="candidates:list",
        rows=lambda actor, text: candidate_list(actor=actor, q=text),
        ranked_by=SEARCHED,
        then=("last_name", "first_name", "pk"),
        hit=_candidate_hit,
        looks_in=lambda actor: str(_("by name, codice fiscale, phone, e-mail or number")),
        numbered=True,
    ),
    Kind(
        key="companies",
        title=_("Companies"),
        model=Company,
        list_url="companies:list",
        rows=lambda actor, text: company_list(actor=actor, q=text),
        ranked_by=("organisation__name",),
        then=("organisation__name", "pk"),
        hit=_company_hit,
        looks_in=lambda actor: str(_("by name or partita IVA")),
    ),
    Kind(
        key="needs",
        title=_("Needs"),
        model=Need,
        list_url="companies:need_list",
        rows=lambda actor, text: need_list(actor=actor, q=text),
        ranked_by=NEED_SEARCHED,
        then=("company__organisation__name", "profile__name_it", "pk"),
        hit=_need_hit,
        looks_in=lambda actor: str(_("by profile, company or workplace")),
    ),
    Kind(
        key="entries",
        title=_("Shortlisted candidates"),
        model=Shortlist,
        list_url="matching:entry_list",
        rows=lambda actor, text: entry_list(actor=actor, q=text),
        ranked_by=("code",),
        then=("code", "pk"),
        hit=_entry_hit,
        looks_in=_entries_look_in,
    ),
)


def searchable(actor: User) -> list[Kind]:
    """The kinds `actor` may search: those whose list they may open. No query."""
    return [kind for kind in KINDS if can(actor, "list", kind.model)]


def portal_search(*, actor: User, text: str) -> list[Group]:
    """What `actor` finds with `text`, one group per kind they may search (empty groups too),
    in one query a kind."""
    groups = []
    for kind in searchable(actor):
        rows = kind.rows(actor, text)
        rows = rows.annotate(found=Window(Count("pk"))).order_by(
            search_rank(
                rows, text, kind.ranked_by, numbers=("pk",) if kind.numbered else ()
            ).desc(),
            *kind.then,
        )[:PER_GROUP]
        rows = list(rows)
        groups.append(
            Group(
                key=kind.key,
                title=str(kind.title),
                looks_in=kind.looks_in(actor),
                count=rows[0].found if rows else 0,
                hits=[kind.hit(row, actor) for row in rows],
                url=f"{reverse(kind.list_url)}?{urlencode({'q': text})}",
            )
        )
    return groups
